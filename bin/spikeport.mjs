#!/usr/bin/env node
// The spikeport command line (`spikeport replay <fixture files or dirs>`): runs the built CLI from dist/esm/cli.js.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/esm/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'spikeport: the command line is not built yet (dist/esm/cli.js is missing).\n' +
      'Run `npm run build` first, or from a checkout run it from source: npx tsx src/fixtures/cli.ts replay <fixtures>\n',
  );
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
