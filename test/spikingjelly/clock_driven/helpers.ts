/** Shared by the spikingjelly clock_driven suites: fixture discovery, replay with readable failures, fact files. */
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { torch } from '../../../src/index';
import { format_failures, load_fixture, replay, tensorFromEncoded, type Fixture, type ReplayOptions, type ReplayReport } from '../../../src/fixtures/index';

export const SJ_FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'spikingjelly');

/** The fixture files (*.json manifests) of one folder, sorted. */
export function fixtureFiles(folder: string): string[] {
  return readdirSync(join(SJ_FIXTURES, folder)).filter((f) => f.endsWith('.json') && f !== 'reset.json' && !f.startsWith('facts_')).sort();
}

export async function loadFx(folder: string, file: string): Promise<Fixture> {
  return load_fixture(join(SJ_FIXTURES, folder, file));
}

/** replay(fixture) and throw the report's failures (quantity, step, index, expected, got, tolerance) when it fails. */
export function expectReplay(fx: Fixture, options: ReplayOptions = {}): ReplayReport {
  const r = replay(fx, options);
  if (!r.pass) throw new Error(`replay of ${fx.case.name} failed:\n${format_failures(r, 20)}`);
  if (r.checks.length === 0) throw new Error(`replay of ${fx.case.name} made no checks`);
  return r;
}

/** A JSON fact file of fixtures/spikingjelly ('surrogate/facts_0.0.0.0.8.json', …; compat/record_spikingjelly_neuron.py). */
export function facts(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(SJ_FIXTURES, name), 'utf8'));
}

/** An encoded tensor of a fact file as a spikeport tensor. */
export function factTensor(e: unknown): torch.Tensor {
  return tensorFromEncoded(e as Parameters<typeof tensorFromEncoded>[0]);
}
