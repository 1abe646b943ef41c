/**
 * npm start: trains a small two-layer network on the two-spirals problem with spikeport's autograd and prints the loss
 * falling. Plain tensors and a hand-written SGD step, so it shows the engine itself.
 */
import { torch } from '../src/index';

const N = 200; // points per spiral
const gen = torch.manual_seed(0);
void gen;

// two interleaved spirals: class 0 and class 1
const t = torch.linspace(0.25, 3 * Math.PI, N);
const r = t.div(3 * Math.PI);
const noise = () => torch.randn(N).mul(0.02);
const x0 = torch.stack([r.mul(t.cos()).add(noise()), r.mul(t.sin()).add(noise())], 1);
const x1 = torch.stack([r.mul(t.cos()).neg().add(noise()), r.mul(t.sin()).neg().add(noise())], 1);
const x = torch.cat([x0, x1], 0);
const y = torch.cat([torch.zeros(N), torch.ones(N)]).unsqueeze(1);

const H = 64;
const W1 = torch.randn(2, H).mul(4).requires_grad_();
const b1 = torch.zeros(H, { requires_grad: true });
const W2 = torch.randn(H, 1).mul(1 / Math.sqrt(H)).requires_grad_();
const b2 = torch.zeros(1, { requires_grad: true });
const params = [W1, b1, W2, b2];

const lr = 0.3;
const steps = 1500;
const started = Date.now();
for (let step = 0; step <= steps; step++) {
  const h = x.matmul(W1).add(b1).tanh();
  const logits = h.matmul(W2).add(b2);
  // binary cross-entropy with logits: log(1 + e^z) - y z, written out with engine ops
  const loss = logits.exp().log1p().sub(logits.mul(y)).mean();
  for (const p of params) p.grad = null;
  loss.backward();
  torch.no_grad(() => {
    for (const p of params) p.sub_(p.grad!.mul(lr));
  });
  if (step % 150 === 0) {
    const acc = torch.no_grad(() => logits.gt(0).float().eq(y).float().mean().item());
    console.log(`step ${String(step).padStart(4)}  loss ${loss.item().toFixed(4)}  accuracy ${(acc * 100).toFixed(1)}%`);
  }
}
console.log(`trained ${steps} full-batch steps on ${2 * N} points in ${((Date.now() - started) / 1000).toFixed(2)} s`);
