"""Record torch.nn fixtures from real PyTorch 1.13 for spikeport's nn replay tests (test/torch/nn/*.test.ts).

Run with Debian's python3-torch:  /usr/bin/python3 compat/record_nn.py
Writes fixtures/torch/nn/{layers,losses,init,dropout,structure}.json (tensors encoded by compat/tensorjson.py,
json keys sorted, so reruns give identical bytes).

Every case records its inputs, so the TypeScript side never regenerates them: it rebuilds the layer from the recorded
constructor arguments and state_dict, runs it, and compares outputs and gradients of the weighted-sum loss
sum(output * grad_output). init/dropout cases record only a seed and the arguments: the TypeScript side must consume
the random generator exactly as PyTorch does to reproduce them bit for bit.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tensorjson import encode_tensor as encode, dump  # noqa: E402  (encode_tensor keeps 0-d shapes)

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'torch', 'nn')
META = {'library': 'torch', 'version': torch.__version__, 'recorder': 'compat/record_nn.py'}
rng = np.random.RandomState(1234)


def randn(*shape, scale=1.0):
    return torch.tensor(rng.randn(*shape) * scale, dtype=torch.float32)


def encode_or_hash(t, limit=20000):
    """Big tensors as a SHA-256 of their little-endian bytes (still a bit-exact check) plus their first 64 values."""
    if t.numel() <= limit:
        return encode(t)
    import hashlib
    a = t.detach().contiguous().numpy()
    return {'sha256': hashlib.sha256(a.astype(a.dtype.newbyteorder('<')).tobytes()).hexdigest(), 'shape': list(t.shape),
            'dtype': str(t.dtype).replace('torch.', ''), 'head': encode(t.reshape(-1)[:64])}


def enc_kwargs(kw):
    """kwargs with tensors encoded as {"tensor": …} so the TS side can tell them from numbers."""
    out = {}
    for k, v in kw.items():
        if isinstance(v, torch.Tensor):
            out[k] = {'tensor': encode(v)}
        elif isinstance(v, tuple):
            out[k] = list(v)
        elif isinstance(v, torch.dtype):
            out[k] = str(v).replace('torch.', '')
        else:
            out[k] = v
    return out


# ---- layers: forward + gradients of sum(out * g) ---------------------------------------------------------------------

def layer_case(name, ctor, args, kwargs, inputs, int_inputs=(), tol=None):
    torch.manual_seed(0)
    m = getattr(nn, ctor)(*args, **kwargs)
    m.train()
    sd = {k: encode(v) for k, v in m.state_dict().items()}
    xs = [x.clone().requires_grad_(i not in int_inputs and x.is_floating_point()) for i, x in enumerate(inputs)]
    y = m(*xs)
    g = randn(*y.shape)
    (y * g).sum().backward()
    case = {
        'name': name, 'ctor': ctor, 'args': list(args), 'kwargs': enc_kwargs(kwargs),
        'state_dict': sd, 'inputs': [encode(x) for x in inputs], 'output': encode(y), 'grad_output': encode(g),
        'input_grads': [encode(x.grad) if x.grad is not None else None for x in xs],
        'param_grads': {n: encode(p.grad) for n, p in m.named_parameters() if p.grad is not None},
        'repr': repr(m),
    }
    if tol:
        case['tol'] = tol
    return case


def with_edges(x, values):
    flat = x.view(-1)
    for i, v in enumerate(values):
        flat[i] = v
    return x


def record_layers():
    cases = []
    x34 = randn(3, 4)
    cases.append(layer_case('Linear', 'Linear', [4, 5], {}, [x34]))
    cases.append(layer_case('Linear no bias', 'Linear', [4, 2], {'bias': False}, [x34]))
    cases.append(layer_case('Linear 3-D input', 'Linear', [6, 3], {}, [randn(2, 5, 6)]))
    cases.append(layer_case('Linear 1-D input', 'Linear', [6, 3], {}, [randn(6)]))
    cases.append(layer_case('Linear wide', 'Linear', [300, 70], {}, [randn(9, 300)]))
    cases.append(layer_case('Bilinear', 'Bilinear', [3, 4, 2], {}, [randn(5, 3), randn(5, 4)]))
    cases.append(layer_case('Identity', 'Identity', [], {}, [x34]))
    cases.append(layer_case('Flatten', 'Flatten', [], {}, [randn(2, 3, 4, 2)]))
    cases.append(layer_case('Flatten 0..2', 'Flatten', [0, 2], {}, [randn(2, 3, 4, 2)]))
    cases.append(layer_case('Unflatten', 'Unflatten', [1, (2, 6)], {}, [randn(3, 12)]))
    act = with_edges(randn(4, 6, scale=2.0), [0.0, -0.0, 1.0, -1.0, 6.0, -0.5, 0.8, 20.0, 25.0, 10.5])
    cases.append(layer_case('ReLU', 'ReLU', [], {}, [act]))
    cases.append(layer_case('ReLU6', 'ReLU6', [], {}, [act * 4]))
    cases.append(layer_case('LeakyReLU', 'LeakyReLU', [0.2], {}, [act]))
    cases.append(layer_case('LeakyReLU default', 'LeakyReLU', [], {}, [act]))
    cases.append(layer_case('ELU', 'ELU', [], {}, [act]))
    cases.append(layer_case('ELU alpha', 'ELU', [], {'alpha': 0.7}, [act]))
    cases.append(layer_case('GELU', 'GELU', [], {}, [act]))
    cases.append(layer_case('GELU tanh', 'GELU', [], {'approximate': 'tanh'}, [act]))
    cases.append(layer_case('SiLU', 'SiLU', [], {}, [act]))
    cases.append(layer_case('Sigmoid', 'Sigmoid', [], {}, [act]))
    cases.append(layer_case('Tanh', 'Tanh', [], {}, [act]))
    cases.append(layer_case('Softplus', 'Softplus', [], {}, [act]))
    cases.append(layer_case('Softplus beta threshold', 'Softplus', [], {'beta': 2, 'threshold': 10}, [act]))
    cases.append(layer_case('Hardtanh', 'Hardtanh', [], {}, [act]))
    cases.append(layer_case('Hardtanh range', 'Hardtanh', [-0.5, 0.8], {}, [act]))
    cases.append(layer_case('Softmax', 'Softmax', [], {'dim': 1}, [act]))
    cases.append(layer_case('Softmax dim0 3-D', 'Softmax', [], {'dim': 0}, [randn(3, 2, 4)]))
    cases.append(layer_case('LogSoftmax', 'LogSoftmax', [], {'dim': -1}, [act]))
    cases.append(layer_case('Dropout eval-free p=0', 'Dropout', [0.0], {}, [x34]))
    idx = torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9], [0, 0, 2, 2]], dtype=torch.int64)
    cases.append(layer_case('Embedding', 'Embedding', [10, 3], {}, [idx], int_inputs=(0,)))
    cases.append(layer_case('Embedding padding_idx', 'Embedding', [10, 3], {'padding_idx': 2}, [idx], int_inputs=(0,)))
    cases.append(layer_case('Embedding negative padding_idx', 'Embedding', [10, 3], {'padding_idx': -1}, [idx], int_inputs=(0,)))
    cases.append(layer_case('Embedding scale_grad_by_freq', 'Embedding', [10, 3], {'scale_grad_by_freq': True}, [idx], int_inputs=(0,)))
    cases.append(layer_case('Embedding max_norm', 'Embedding', [10, 5], {'max_norm': 1.0}, [idx], int_inputs=(0,)))

    # functional forms without a module
    fcases = []

    def fcase(name, fn, inputs, kwargs, int_inputs=(), args=()):
        xs = [x.clone().requires_grad_(i not in int_inputs and x.is_floating_point()) for i, x in enumerate(inputs)]
        y = getattr(F, fn)(*xs, *args, **kwargs)
        c = {'name': name, 'fn': fn, 'args': list(args), 'kwargs': enc_kwargs(kwargs), 'inputs': [encode(x) for x in inputs], 'output': encode(y)}
        if y.is_floating_point() and y.requires_grad:
            g = randn(*y.shape)
            (y * g).sum().backward()
            c['grad_output'] = encode(g)
            c['input_grads'] = [encode(x.grad) if x.grad is not None else None for x in xs]
        fcases.append(c)

    x4 = randn(2, 3, 4, 5)
    fcase('pad constant', 'pad', [x4], {'pad': [1, 2, 0, 1], 'value': 0.5})
    fcase('pad constant negative', 'pad', [x4], {'pad': [-1, 2, 1, -2]})
    fcase('pad constant 3 dims', 'pad', [x4], {'pad': [1, 1, 2, 0, 1, 0]})
    fcase('pad reflect', 'pad', [x4], {'pad': [2, 1, 1, 3], 'mode': 'reflect'})
    fcase('pad replicate', 'pad', [x4], {'pad': [2, 1, 1, 3], 'mode': 'replicate'})
    fcase('pad circular', 'pad', [x4], {'pad': [2, 1, 1, 3], 'mode': 'circular'})
    fcase('pad reflect 1-D', 'pad', [randn(2, 3, 6)], {'pad': [3, 2], 'mode': 'reflect'})
    fcase('one_hot', 'one_hot', [torch.tensor([[0, 3], [2, 1]])], {'num_classes': 5}, int_inputs=(0,))
    fcase('one_hot inferred', 'one_hot', [torch.tensor([0, 3, 2, 1])], {}, int_inputs=(0,))
    fcase('linear', 'linear', [randn(3, 4), randn(2, 4), randn(2)], {})
    fcase('linear transposed input', 'linear', [randn(4, 3).t(), randn(2, 4), randn(2)], {})
    fcase('softmax double', 'softmax', [torch.tensor(rng.randn(3, 4))], {'dim': 1})
    fcase('softmax implicit dim 2-D', 'softmax', [randn(3, 4)], {})
    fcase('log_softmax dtype', 'log_softmax', [randn(3, 4)], {'dim': 0, 'dtype': torch.float64})
    fcase('leaky_relu positional', 'leaky_relu', [act], {}, args=(0.3,))
    fcase('elu double', 'elu', [torch.tensor(rng.randn(3, 5) * 2)], {'alpha': 1.5})
    fcase('gelu double', 'gelu', [torch.tensor(rng.randn(3, 5) * 2)], {})
    fcase('hardtanh positional', 'hardtanh', [act], {}, args=(-2.0, 2.0))
    fcase('relu6', 'relu6', [act * 4], {})
    fcase('embedding', 'embedding', [idx, randn(10, 3)], {'padding_idx': 0}, int_inputs=(0,))
    return {'meta': META, 'modules': cases, 'functional': fcases}


# ---- losses --------------------------------------------------------------------------------------------------------------

def loss_case(name, fn, inp, target, kwargs, target_grad=False):
    x = inp.clone().requires_grad_(True)
    t = target.clone()
    if target_grad:
        t.requires_grad_(True)
    kw = dict(kwargs)
    y = getattr(F, fn)(x, t, **kw)
    c = {'name': name, 'fn': fn, 'input': encode(inp), 'target': encode(target), 'kwargs': enc_kwargs(kwargs), 'output': encode(y)}
    if y.requires_grad:
        g = randn(*y.shape) if y.dim() > 0 else torch.tensor(1.0)
        if y.dim() > 0:
            c['grad_output'] = encode(g)
        (y * g).sum().backward()
        c['input_grad'] = encode(x.grad)
        if target_grad:
            c['target_grad'] = encode(t.grad)
    return c


def record_losses():
    cases = []
    R = ['none', 'mean', 'sum']
    a, b = randn(4, 5), randn(4, 5)
    b.view(-1)[:3] = a.view(-1)[:3]  # equal entries: l1's gradient is 0 there
    for r in R:
        cases.append(loss_case(f'mse_loss {r}', 'mse_loss', a, b, {'reduction': r}))
        cases.append(loss_case(f'l1_loss {r}', 'l1_loss', a, b, {'reduction': r}))
        cases.append(loss_case(f'smooth_l1_loss {r}', 'smooth_l1_loss', a, b, {'reduction': r}))
        cases.append(loss_case(f'smooth_l1_loss beta=0.5 {r}', 'smooth_l1_loss', a, b, {'reduction': r, 'beta': 0.5}))
        cases.append(loss_case(f'huber_loss delta=0.7 {r}', 'huber_loss', a, b, {'reduction': r, 'delta': 0.7}))
    cases.append(loss_case('smooth_l1_loss beta=0', 'smooth_l1_loss', a, b, {'beta': 0.0}))
    cases.append(loss_case('mse_loss broadcast', 'mse_loss', randn(4, 5), randn(5), {}))

    # cross entropy / nll with class indices
    x2 = randn(6, 5, scale=2.0)
    t2 = torch.tensor([0, 4, 2, 1, 4, 3])
    t2i = torch.tensor([0, 4, -100, 1, 4, -100])
    t2j = torch.tensor([0, 4, 3, 1, 4, 3])  # ignore_index=3
    w5 = torch.tensor([0.2, 1.0, 2.5, 0.7, 1.3])
    x1 = randn(5)
    t1 = torch.tensor(3)
    x4 = randn(2, 5, 3, 4)
    t4 = torch.tensor(rng.randint(0, 5, size=(2, 3, 4)))
    t4.view(-1)[::5] = -100
    x3 = randn(3, 5, 7)
    t3 = torch.tensor(rng.randint(0, 5, size=(3, 7)))
    for r in R:
        cases.append(loss_case(f'cross_entropy {r}', 'cross_entropy', x2, t2, {'reduction': r}))
        cases.append(loss_case(f'cross_entropy weight {r}', 'cross_entropy', x2, t2, {'reduction': r, 'weight': w5}))
        cases.append(loss_case(f'cross_entropy ignore {r}', 'cross_entropy', x2, t2i, {'reduction': r}))
        cases.append(loss_case(f'cross_entropy ignore_index=3 weight {r}', 'cross_entropy', x2, t2j, {'reduction': r, 'weight': w5, 'ignore_index': 3}))
        cases.append(loss_case(f'cross_entropy label_smoothing {r}', 'cross_entropy', x2, t2, {'reduction': r, 'label_smoothing': 0.1}))
        cases.append(loss_case(f'cross_entropy weight+ignore+ls {r}', 'cross_entropy', x2, t2i, {'reduction': r, 'weight': w5, 'label_smoothing': 0.25}))
        cases.append(loss_case(f'cross_entropy 1-D {r}', 'cross_entropy', x1, t1, {'reduction': r}))
        cases.append(loss_case(f'cross_entropy 1-D weight+ls {r}', 'cross_entropy', x1, t1, {'reduction': r, 'weight': w5, 'label_smoothing': 0.2}))
        cases.append(loss_case(f'cross_entropy 4-D weight+ignore+ls {r}', 'cross_entropy', x4, t4, {'reduction': r, 'weight': w5, 'label_smoothing': 0.15}))
        cases.append(loss_case(f'cross_entropy 4-D {r}', 'cross_entropy', x4, t4, {'reduction': r}))
        cases.append(loss_case(f'cross_entropy 3-D {r}', 'cross_entropy', x3, t3, {'reduction': r}))
        p2 = torch.softmax(randn(6, 5), 1)
        p4 = torch.softmax(randn(2, 5, 3, 4), 1)
        cases.append(loss_case(f'cross_entropy probs {r}', 'cross_entropy', x2, p2, {'reduction': r}))
        cases.append(loss_case(f'cross_entropy probs ls {r}', 'cross_entropy', x2, p2, {'reduction': r, 'label_smoothing': 0.3}))
        cases.append(loss_case(f'cross_entropy probs weight+ls {r}', 'cross_entropy', x2, p2, {'reduction': r, 'weight': w5, 'label_smoothing': 0.1}))
        cases.append(loss_case(f'cross_entropy probs 4-D weight {r}', 'cross_entropy', x4, p4, {'reduction': r, 'weight': w5}))
        cases.append(loss_case(f'cross_entropy probs 1-D {r}', 'cross_entropy', x1, torch.softmax(randn(5), 0), {'reduction': r}))
        lp2 = torch.log_softmax(x2, 1)
        cases.append(loss_case(f'nll_loss {r}', 'nll_loss', lp2, t2, {'reduction': r}))
        cases.append(loss_case(f'nll_loss weight+ignore {r}', 'nll_loss', lp2, t2i, {'reduction': r, 'weight': w5}))
        cases.append(loss_case(f'nll_loss 4-D weight {r}', 'nll_loss', torch.log_softmax(x4, 1), t4, {'reduction': r, 'weight': w5}))
        cases.append(loss_case(f'nll_loss 1-D {r}', 'nll_loss', torch.log_softmax(x1, 0), t1, {'reduction': r}))
    cases.append(loss_case('cross_entropy all ignored mean', 'cross_entropy', x2[:2], torch.tensor([-100, -100]), {}))
    cases.append(loss_case('nll_loss all ignored mean', 'nll_loss', x2[:2], torch.tensor([-100, -100]), {}))

    # binary cross entropy
    p = torch.sigmoid(randn(4, 6, scale=2.0))
    p.view(-1)[0] = 0.0
    p.view(-1)[1] = 1.0
    p.view(-1)[2] = 1e-30
    tb = torch.tensor(rng.rand(4, 6), dtype=torch.float32)
    tb.view(-1)[0] = 1.0
    tb.view(-1)[1] = 0.0
    tb.view(-1)[3:7] = torch.tensor([0.0, 1.0, 0.0, 1.0])
    wb = torch.tensor(rng.rand(6) + 0.5, dtype=torch.float32)
    logits = randn(4, 6, scale=3.0)
    logits.view(-1)[:3] = torch.tensor([0.0, 50.0, -60.0])
    pw = torch.tensor(rng.rand(6) * 3, dtype=torch.float32)
    for r in R:
        cases.append(loss_case(f'binary_cross_entropy {r}', 'binary_cross_entropy', p.clamp(1e-6, 1 - 1e-6), tb, {'reduction': r}, target_grad=True))
        cases.append(loss_case(f'binary_cross_entropy clamp {r}', 'binary_cross_entropy', p, (tb > 0.5).float(), {'reduction': r}))
        cases.append(loss_case(f'binary_cross_entropy weight {r}', 'binary_cross_entropy', p.clamp(1e-6, 1 - 1e-6), tb, {'reduction': r, 'weight': wb}))
        cases.append(loss_case(f'bce_with_logits {r}', 'binary_cross_entropy_with_logits', logits, tb, {'reduction': r}, target_grad=True))
        cases.append(loss_case(f'bce_with_logits pos_weight {r}', 'binary_cross_entropy_with_logits', logits, tb, {'reduction': r, 'pos_weight': pw}, target_grad=True))
        cases.append(loss_case(f'bce_with_logits weight+pos_weight {r}', 'binary_cross_entropy_with_logits', logits, tb, {'reduction': r, 'weight': wb, 'pos_weight': pw}))
    # KL divergence
    lq = torch.log_softmax(randn(4, 5), 1)
    pt = torch.softmax(randn(4, 5, scale=2.0), 1)
    pt[0, 1] = 0.0
    lpt = torch.log_softmax(randn(4, 5), 1)
    for r in R + ['batchmean']:
        cases.append(loss_case(f'kl_div {r}', 'kl_div', lq, pt, {'reduction': r}, target_grad=True))
        cases.append(loss_case(f'kl_div log_target {r}', 'kl_div', lq, lpt, {'reduction': r, 'log_target': True}, target_grad=True))

    # module forms (repr and defaults)
    mods = []
    for ctor, kw in [('MSELoss', {}), ('L1Loss', {'reduction': 'sum'}), ('SmoothL1Loss', {'beta': 0.5}), ('HuberLoss', {'delta': 2.0}),
                     ('CrossEntropyLoss', {'weight': w5, 'label_smoothing': 0.1, 'ignore_index': 3}), ('NLLLoss', {'reduction': 'none'}),
                     ('BCELoss', {'weight': wb}), ('BCEWithLogitsLoss', {'pos_weight': pw}), ('KLDivLoss', {'reduction': 'batchmean', 'log_target': True})]:
        m = getattr(nn, ctor)(**kw)
        mods.append({'ctor': ctor, 'kwargs': enc_kwargs(kw), 'repr': repr(m), 'state_dict_keys': list(m.state_dict().keys()), 'reduction': m.reduction})
    return {'meta': META, 'cases': cases, 'modules': mods}


# ---- init: same seed, same generator consumption ----------------------------------------------------------------------------

def record_init():
    cases = []

    def icase(fn, shape, args=(), kwargs=None, seed=0, dtype=torch.float32):
        kwargs = kwargs or {}
        torch.manual_seed(seed)
        t = torch.empty(*shape, dtype=dtype)
        getattr(nn.init, fn)(t, *args, **kwargs)
        after = torch.rand(3)  # the generator state after the call (RNG consumption)
        cases.append({'fn': fn, 'shape': list(shape), 'args': list(args), 'kwargs': kwargs, 'seed': seed, 'dtype': str(dtype).replace('torch.', ''),
                      'result': encode(t), 'rand_after': encode(after)})

    icase('uniform_', (5, 7), (-0.3, 0.8), seed=1)
    icase('uniform_', (3, 3), seed=2)
    icase('normal_', (5, 7), (0.5, 2.0), seed=3)
    icase('normal_', (3, 4), seed=4)  # < 16 elements: the scalar normal path
    icase('normal_', (40,), seed=5, dtype=torch.float64)
    icase('constant_', (2, 3), (0.37,))
    icase('zeros_', (2, 3))
    icase('ones_', (2, 3))
    icase('eye_', (3, 5))
    icase('dirac_', (4, 2, 3))
    icase('dirac_', (6, 2, 3, 3), kwargs={'groups': 2})
    icase('xavier_uniform_', (20, 30), seed=6)
    icase('xavier_uniform_', (8, 4, 3, 3), kwargs={'gain': nn.init.calculate_gain('relu')}, seed=7)
    icase('xavier_normal_', (20, 30), seed=8)
    icase('kaiming_uniform_', (16, 9), seed=9)
    icase('kaiming_uniform_', (16, 9), kwargs={'a': math.sqrt(5)}, seed=10)
    icase('kaiming_uniform_', (6, 4, 5), kwargs={'mode': 'fan_out', 'nonlinearity': 'relu'}, seed=11)
    icase('kaiming_normal_', (16, 9), seed=12)
    icase('kaiming_normal_', (6, 4, 3, 3), kwargs={'mode': 'fan_out', 'nonlinearity': 'relu'}, seed=13)
    icase('kaiming_normal_', (3, 4), kwargs={'a': 0.2}, seed=14)
    icase('trunc_normal_', (30, 40), seed=15)
    icase('trunc_normal_', (10, 10), kwargs={'mean': 0.5, 'std': 0.2, 'a': 0.1, 'b': 0.9}, seed=16)
    icase('trunc_normal_', (50,), kwargs={'std': 0.02}, seed=17)
    icase('trunc_normal_', (64,), kwargs={'std': 1.0, 'a': -0.5, 'b': 3.0}, seed=18, dtype=torch.float64)
    icase('orthogonal_', (6, 4), seed=19)
    icase('orthogonal_', (4, 9), seed=20)
    icase('orthogonal_', (5, 2, 3), kwargs={'gain': 2.0}, seed=21)
    icase('orthogonal_', (20, 20), seed=22)
    gains = {k: nn.init.calculate_gain(k) for k in ['linear', 'conv2d', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu']}
    gains['leaky_relu(0.2)'] = nn.init.calculate_gain('leaky_relu', 0.2)
    gains['leaky_relu(sqrt5)'] = nn.init.calculate_gain('leaky_relu', math.sqrt(5))

    # default initialisation of whole layers / models
    defaults = []

    def dcase(name, build, seed):
        torch.manual_seed(seed)
        m = build()
        after = torch.rand(3)
        defaults.append({'name': name, 'seed': seed, 'state_dict': {k: encode_or_hash(v) for k, v in m.state_dict().items()},
                         'keys': list(m.state_dict().keys()), 'rand_after': encode(after)})

    dcase('Linear(20, 10)', lambda: nn.Linear(20, 10), 0)
    dcase('Linear(784, 512)', lambda: nn.Linear(784, 512), 42)
    dcase('Linear(7, 3, bias=False)', lambda: nn.Linear(7, 3, bias=False), 1)
    dcase('Linear(5, 3) float64', lambda: nn.Linear(5, 3, dtype=torch.float64), 2)
    dcase('Bilinear(3, 4, 2)', lambda: nn.Bilinear(3, 4, 2), 3)
    dcase('Embedding(10, 4)', lambda: nn.Embedding(10, 4), 4)
    dcase('Embedding(6, 3, padding_idx=2)', lambda: nn.Embedding(6, 3, padding_idx=2), 5)
    dcase('Embedding(100, 16)', lambda: nn.Embedding(100, 16), 6)
    dcase('Sequential MLP', lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10)), 7)
    # torch.erfinv on float32 (what trunc_normal_ runs): a sample across (-1, 1), denser near the tails
    g = torch.Generator().manual_seed(123)
    y = torch.cat([torch.rand(16000, generator=g) * 2 - 1, (torch.rand(4000, generator=g) * 0.05 + 0.95) * (torch.rand(4000, generator=g).round() * 2 - 1)])
    erfinv = {'y': encode(y), 'x': encode(torch.erfinv(y))}
    return {'meta': META, 'cases': cases, 'gains': gains, 'defaults': defaults, 'erfinv': erfinv}


# ---- dropout masks ----------------------------------------------------------------------------------------------------------

def record_dropout():
    cases = []

    def dcase(name, fn, shape, p, seed, dtype=torch.float32, training=True):
        torch.manual_seed(seed)
        x = torch.ones(*shape, dtype=dtype)
        y = getattr(F, fn)(x, p, training)
        cases.append({'name': name, 'fn': fn, 'shape': list(shape), 'p': p, 'seed': seed, 'dtype': str(dtype).replace('torch.', ''),
                      'training': training, 'output': encode(y), 'rand_after': encode(torch.rand(3))})

    dcase('dropout 0.5', 'dropout', (4, 5), 0.5, 0)
    dcase('dropout 0.2 small', 'dropout', (7,), 0.2, 1)
    dcase('dropout 0.9 large', 'dropout', (30, 41), 0.9, 2)
    dcase('dropout 0.3 float64', 'dropout', (6, 6), 0.3, 3, dtype=torch.float64)
    dcase('dropout 0.1 big', 'dropout', (1000,), 0.1, 4)
    dcase('dropout2d 0.5', 'dropout2d', (3, 8, 2, 2), 0.5, 5)
    dcase('dropout2d 3-D', 'dropout2d', (4, 6, 3), 0.4, 6)
    dcase('dropout1d', 'dropout1d', (2, 7, 3), 0.5, 7)
    dcase('dropout p=1', 'dropout', (3, 3), 1.0, 8)
    dcase('dropout eval', 'dropout', (3, 3), 0.5, 9, training=False)
    # modules in training: a model with two dropouts, the masks in call order
    torch.manual_seed(10)
    m = nn.Sequential(nn.Linear(6, 6), nn.Dropout(0.5), nn.Linear(6, 6), nn.Dropout2d(0.3))
    x = randn(4, 6)
    y = m(x)
    seq = {'seed': 10, 'input': encode(x), 'output': encode(y), 'state_dict': {k: encode(v) for k, v in m.state_dict().items()}}
    return {'meta': META, 'cases': cases, 'sequential': seq}


# ---- structure: state_dict keys, print(model), load_state_dict errors ----------------------------------------------------------

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.register_buffer('steps', torch.zeros(1))
        self.register_buffer('tmp', torch.ones(2), persistent=False)
        self.act = nn.GELU(approximate='tanh')
        self.gate = nn.Parameter(torch.ones(3))

    def forward(self, x):
        return self.act(self.fc(x)) * self.gate


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Linear(4, 8)]
        for _ in range(5):
            layers += [nn.ReLU(inplace=True), nn.Linear(8, 8)]
        layers += [nn.Dropout(0.1)]
        self.features = nn.Sequential(*layers)  # 12 entries: keys '10' and '11' must follow '9'
        self.blocks = nn.ModuleList([Block(), Block()])
        self.heads = nn.ModuleDict({'cls': nn.Linear(8, 3), 'reg': nn.Linear(8, 1)})
        self.emb = nn.Embedding(5, 4, padding_idx=0)
        self.shared = self.features[0]
        self.scale = nn.Parameter(torch.ones(1))
        self.loss = nn.CrossEntropyLoss(weight=torch.ones(3))
        self.flat = nn.Flatten()
        self.unflat = nn.Unflatten(1, (2, 4))
        self.extra = nn.Sequential(nn.LeakyReLU(0.2, inplace=True), nn.ELU(alpha=0.5), nn.Softplus(beta=2, threshold=10),
                                   nn.Hardtanh(-2.0, 2.0), nn.ReLU6(), nn.SiLU(), nn.Sigmoid(), nn.Tanh(), nn.Softmax(dim=-1),
                                   nn.LogSoftmax(dim=1), nn.Softmax(), nn.Identity(), nn.Dropout(p=0.25, inplace=True),
                                   nn.Dropout2d(0.5), nn.Embedding(10, 3, padding_idx=1, max_norm=1.0), nn.Bilinear(2, 3, 4, bias=False),
                                   nn.Linear(2, 2, bias=False), nn.GELU())


def record_structure():
    torch.manual_seed(0)
    net = Net()
    sd = net.state_dict()
    out = {'meta': META, 'repr': repr(net), 'state_dict_keys': list(sd.keys()),
           'named_parameters': [n for n, _ in net.named_parameters()],
           'named_buffers': [n for n, _ in net.named_buffers()],
           'named_modules': [n for n, _ in net.named_modules()],
           'named_children': [n for n, _ in net.named_children()],
           'num_parameters': len(list(net.parameters())),
           'slice_repr': repr(net.features[1:4]), 'slice_keys': list(net.features[1:4].state_dict().keys()),
           'modulelist_slice_keys': list(net.blocks[1:].state_dict().keys())}
    errs = {}
    bad = dict(sd)
    del bad['features.0.bias']
    del bad['blocks.1.steps']
    bad['extra.weight'] = torch.zeros(2)
    bad['blocks.0.fc.nope'] = torch.zeros(2)
    bad['heads.cls.weight'] = torch.zeros(2, 8)
    try:
        net.load_state_dict(bad)
    except RuntimeError as e:
        errs['strict'] = str(e)
    shape_only = dict(sd)
    shape_only['emb.weight'] = torch.zeros(6, 4)
    try:
        net.load_state_dict(shape_only, strict=False)
    except RuntimeError as e:
        errs['shape_nonstrict'] = str(e)
    res = net.load_state_dict({k: v for k, v in sd.items() if not k.startswith('heads.')} | {'zzz': torch.zeros(1)}, strict=False)
    errs['nonstrict_missing'] = res.missing_keys
    errs['nonstrict_unexpected'] = res.unexpected_keys
    out['load_errors'] = errs
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fn in [('layers', record_layers), ('losses', record_losses), ('init', record_init), ('dropout', record_dropout), ('structure', record_structure)]:
        dump(fn(), os.path.join(OUT, f'{name}.json'))
        print('wrote', os.path.join('fixtures/torch/nn', f'{name}.json'))


if __name__ == '__main__':
    main()
