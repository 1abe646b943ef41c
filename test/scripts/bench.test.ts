import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '../..');

test('npm run bench -- <name>: an unknown or missing benchmark name is refused with the list of names', () => {
  for (const args of [['nosuch'], []]) {
    const r = spawnSync(process.execPath, ['scripts/bench.mjs', ...args], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('scripts/bench.mjs: expected a benchmark name (one of brainpy, brainpy_jitconn, coba, conv, gemm, nn, ops, spikingjelly), got');
    expect(r.stderr).toContain(args.length ? 'got "nosuch"' : 'got nothing');
  }
});
