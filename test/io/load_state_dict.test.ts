/** End to end: a state_dict exported from real PyTorch (compat/export_state_dict.py) loads into the ported model and gives torch's output. */
import { readFileSync } from 'fs';
import path from 'path';
import { nn, torch } from '../../src/index';
import { load_safetensors } from '../../src/io/index';
import { decodeTensor, type EncodedTensor } from '../../src/fixtures/tensorjson';

const dir = path.join(__dirname, '../../fixtures/io');
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { model_forward: { input: EncodedTensor; output: EncodedTensor } };
const tensorOf = (e: EncodedTensor): torch.Tensor => {
  const d = decodeTensor(e);
  return torch.from_typed_array(d.data as Float32Array, d.shape);
};

test('model.load_state_dict(await load_safetensors(path)) reproduces the PyTorch model', async () => {
  const model = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3));
  const sd = await load_safetensors(path.join(dir, 'model.safetensors'));
  expect(Object.keys(sd).sort()).toEqual(Object.keys(model.state_dict()).sort());
  const r = model.load_state_dict(sd);
  expect(r.missing_keys).toEqual([]);
  expect(r.unexpected_keys).toEqual([]);
  expect((model.state_dict()['1.num_batches_tracked'] as torch.Tensor).item()).toBe(1);
  model.eval();
  const y = torch.no_grad(() => model.call(tensorOf(expected.model_forward.input)));
  const want = tensorOf(expected.model_forward.output);
  expect(y.shape).toEqual(want.shape);
  expect(y.sub(want).abs().max().item()).toBeLessThan(1e-6);
});

test('a state_dict with the wrong shapes is refused with the key and both shapes', async () => {
  const model = new nn.Sequential(new nn.Linear(4, 2), new nn.BatchNorm1d(2));
  const sd = await load_safetensors(path.join(dir, 'model.safetensors'));
  expect(() => model.load_state_dict(sd)).toThrow(/size mismatch for 0\.weight/);
});
