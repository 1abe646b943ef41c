// ESM and CJS builds of every package entry, plus one browser bundle (ESM, minified) with the runtime dependencies inlined.
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { existsSync } from 'node:fs';

// package entry -> source; an entry appears once its folder exists
const entries = Object.fromEntries(
  Object.entries({
    index: 'src/index.ts',
    io: 'src/io/index.ts',
    fixtures: 'src/fixtures/index.ts',
    cli: 'src/fixtures/cli.ts',
    spikingjelly: 'src/spikingjelly/index.ts',
    brainpy: 'src/brainpy/index.ts',
    brainstate: 'src/brainstate/index.ts',
    jaxsnn: 'src/jaxsnn/index.ts',
    accel: 'src/accel/index.ts',
  }).filter(([, file]) => existsSync(file)),
);

// Ops and Tensor import each other by design (methods are thin wrappers over ops, used only at call time).
const onwarn = (w, warn) => { if (w.code !== 'CIRCULAR_DEPENDENCY') warn(w); };
const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !/^[A-Za-z]:/.test(id);
const ts = () => typescript({ tsconfig: './tsconfig.json', compilerOptions: { noEmit: false, declaration: false, outDir: undefined }, include: ['src/**/*.ts'] });

export default [
  {
    input: entries,
    external,
    onwarn,
    plugins: [ts()],
    output: [
      { dir: 'dist/esm', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
      { dir: 'dist/cjs', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: 'src/index.ts',
    onwarn,
    // Node-only modules are loaded lazily by the io readers; the browser passes bytes instead of paths
    external: (id) => id.startsWith('node:'),
    plugins: [resolve({ browser: true, preferBuiltins: false }), commonjs(), ts(), terser()],
    output: { file: 'dist/browser/spikeport.min.js', format: 'es', sourcemap: true },
  },
];
