/** spikeport: `import { torch } from 'spikeport'`. nn, F and optim join as they land. */
export * as torch from './torch/index';
