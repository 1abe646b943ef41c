#!/usr/bin/env node
// Runs a benchmark against the library as it ships: bench/<name>.ts bundled into one module (esbuild, like rollup's
// dist: one scope, direct calls between source files), then run by node.
//   npm run bench -- coba --quick      # bench/coba.ts with its arguments
// Why not `tsx bench/<name>.ts`: tsx loads each source file as its own CommonJS module whose imports are property
// getters, a function call per use of an imported name; on call-heavy code (a 4000-neuron EINet step) that measured
// ~1.3× slower than the bundle (median of 8 alternating process pairs), a cost users of dist/ never pay.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const [name, ...args] = process.argv.slice(2);
const names = fs.readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
if (!name || !names.includes(name)) {
  console.error(`scripts/bench.mjs: expected a benchmark name (one of ${names.join(', ')}), got ${name === undefined ? 'nothing' : JSON.stringify(name)}`);
  console.error('usage: npm run bench -- <name> [arguments of bench/<name>.ts]');
  process.exit(2);
}
const outfile = path.join(root, '.tmp', 'bench', `${name}.mjs`);
await build({
  entryPoints: [path.join(root, 'bench', `${name}.ts`)], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20',
  packages: 'external', logLevel: 'warning',
});
const r = spawnSync(process.execPath, [outfile, ...args], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
