/**
 * The argument checks and Python-style argument lists every ported API uses (DESIGN §3, §6), surfaced from core so the
 * upstream-API folders (spikingjelly, brainpy, brainstate) and io/fixtures need not import core directly.
 */
export { checkBool, checkInt, checkNumber, checkOptions, describe, fail } from '../../core/errors';
export { isPlainObject, pyArgs, type PyCall, type PyRest } from '../../core/args';
