#!/usr/bin/env python3
"""Regenerate every fixture of the spikeport fixture kit (fixtures/recorder/) from the REAL libraries.

    PYTHONPATH=/tmp/sj /usr/bin/python3 compat/record_fixtures.py [outdir]      # default outdir: fixtures/recorder

Needs Debian's python3-torch (1.13) and spikingjelly 0.0.0.0.8 on PYTHONPATH (a `git archive` of
fangwei123456/spikingjelly at c14d8ac93eed7d06a386edecdd31af5783176023; spikingjelly's code is never committed here).
The script checks the git blob hashes of the spikingjelly files it uses against that commit before recording.
Every case seeds torch itself; the output is byte-identical from run to run (`--check` regenerates into a temporary
directory and compares with outdir).

Cases:
  torch_mlp_sgd.json             Linear-ReLU-Linear, mse loss, SGD(momentum) 3 iterations
  torch_convnet_adam.json        Conv2d-BatchNorm2d-ReLU-MaxPool2d-Flatten-Linear, cross-entropy, Adam 2 iterations,
  (+ .safetensors sidecar)       per-layer hooks; tensors above 512 bytes go to the sidecar file
  torch_tanh_weighted_sum.json   Linear-Tanh run over T=3 steps, weighted-sum loss, no optimizer
  torch_identity_values.json     Identity over float32/float64/int64/bool inputs holding NaN, +-inf, -0, subnormals
  spikingjelly_lif_t4.json       spikingjelly 0.0.0.0.8 Sequential(Linear, LIFNode, layer.Dropout, Linear, LIFNode)
                                 over T=4: memories (v, spike, mask) per step, per-layer hooks, mse on the firing
                                 rate, gradients, Adam 2 iterations (replay comes with the spikingjelly port)
"""
import filecmp
import os
import struct
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spikeport_recorder as R  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# git blob sha1 of the spikingjelly 0.0.0.0.8 files the recorded model uses (commit c14d8ac9…)
SJ_BLOBS = {
    "spikingjelly/clock_driven/base.py": "0572576559c1034e1324ea16303e058bcf17d949",
    "spikingjelly/clock_driven/functional.py": "f6b80bfeeacc6a29bd2ded3a090bba22ddabefdf",
    "spikingjelly/clock_driven/layer.py": "d7642f35844f69cb08af88268629fe689139e829",
    "spikingjelly/clock_driven/neuron.py": "72da7fc7c4137f175133232846a323c46bfe426b",
    "spikingjelly/clock_driven/surrogate.py": "edeb54accc9258e4c7bf5e6beb269a73c3865ece",
}


def _check_spikingjelly():
    R.check_spikingjelly_release("record_fixtures.py", "0.0.0.0.8", "c14d8ac93eed7d06a386edecdd31af5783176023", SJ_BLOBS)

def case_mlp(out):
    torch.manual_seed(0)
    x = torch.randn(5, 4)
    target = torch.randn(5, 3)
    fx = R.record(lambda: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)), [x],
                  name="torch_mlp_sgd", seed=1,
                  description="torch.nn Linear(4,8)-ReLU-Linear(8,3) on a [5,4] batch, one step; "
                              "loss mse_loss(output, target); SGD(lr=0.1, momentum=0.9), 3 iterations.",
                  loss=R.loss_mse(target),
                  optimizer=lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9), iterations=3)
    R.save(fx, os.path.join(out, "torch_mlp_sgd.json"))


def case_convnet(out):
    torch.manual_seed(0)
    x = torch.randn(2, 1, 8, 8)
    labels = torch.tensor([2, 0])
    fx = R.record(lambda: nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                                        nn.Flatten(), nn.Linear(64, 3)),
                  [x], name="torch_convnet_adam", seed=2,
                  description="torch.nn Conv2d(1,4,3,padding=1,bias=False)-BatchNorm2d(4)-ReLU-MaxPool2d(2)-Flatten-Linear(64,3) "
                              "in training mode on a [2,1,8,8] batch; per-layer hooks; loss cross_entropy(output, labels); "
                              "Adam(lr=0.01), 2 iterations; tensors over 512 bytes in the sidecar file.",
                  loss=R.loss_cross_entropy(labels),
                  optimizer=lambda params: torch.optim.Adam(params, lr=0.01), iterations=2,
                  per_layer=True, sidecar_threshold=512)
    R.save(fx, os.path.join(out, "torch_convnet_adam.json"))


def case_weighted_sum(out):
    torch.manual_seed(0)
    xs = torch.randn(3, 2, 3)
    weights = torch.randn(3, 2, 4)
    fx = R.record(lambda: nn.Sequential(nn.Linear(3, 4), nn.Tanh()), xs, name="torch_tanh_weighted_sum", seed=3,
                  description="torch.nn Linear(3,4)-Tanh applied at each of T=3 steps (inputs [3,2,3], step t gets x[t]); "
                              "loss sum_t sum(output_t * w_t); gradients only.",
                  loss=R.loss_weighted_sum(weights), per_layer=True)
    R.save(fx, os.path.join(out, "torch_tanh_weighted_sum.json"))


def _f32(bits):
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def case_identity(out):
    special = torch.tensor([0.0, -0.0, float("inf"), float("-inf"), 1.0, -1.5, 3.4028234663852886e38,
                            1.1754943508222875e-38], dtype=torch.float32)
    # NaN payloads, subnormals and odd bit patterns, exactly
    raw = torch.tensor([0x7FC00000, 0x7FC00001, 0xFFC12345, 0x7F800001, 0x00000001, 0x807FFFFF, 0x3EAAAAAB, 0x00400000],
                       dtype=torch.int64)
    bits = torch.from_numpy(raw.numpy().astype("<u4").view("<f4").copy())
    f32 = torch.cat([special, bits]).reshape(2, 8)
    f64 = torch.tensor([float("nan"), -0.0, float("inf"), 5e-324, 1.0 / 3.0, -1e308], dtype=torch.float64)
    i64 = torch.tensor([0, -1, 2**31 - 1, -2**31, 7], dtype=torch.int64)
    b = torch.tensor([[True, False, True], [False, False, True]])
    fx = R.record(nn.Identity(), [f32, f64, i64, b], name="torch_identity_values", seed=0,
                  description="torch.nn.Identity over 4 steps whose inputs hold float32 NaN payloads, +-inf, -0, "
                              "subnormals and extremes, float64 specials, int64 extremes of int32 and bools: a "
                              "bit-exact round-trip check of the tensor encoding.")
    R.save(fx, os.path.join(out, "torch_identity_values.json"))


def case_spikingjelly(out):
    _check_spikingjelly()
    from spikingjelly.clock_driven import layer, neuron
    torch.manual_seed(0)
    T = 4
    x = torch.rand(T, 2, 4) * 3.0
    target = torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])

    def build():
        return nn.Sequential(nn.Linear(4, 8), neuron.LIFNode(tau=2.0), layer.Dropout(0.5), nn.Linear(8, 3),
                             neuron.LIFNode(tau=2.0))

    fx = R.record(build, x, name="spikingjelly_lif_t4", seed=4,
                  description="spikingjelly 0.0.0.0.8 Sequential(Linear(4,8), LIFNode(tau=2.), layer.Dropout(0.5), "
                              "Linear(8,3), LIFNode(tau=2.)) over T=4 single steps (inputs [4,2,4], step t gets x[t]) "
                              "after functional.reset_net; memories v/spike/mask per step; per-layer hooks; loss "
                              "mse_loss(mean_t spikes_t, target); Adam(lr=0.05), 2 iterations (the Dropout mask of each "
                              "iteration is recorded).",
                  loss=R.loss_mse(target), optimizer=lambda params: torch.optim.Adam(params, lr=0.05), iterations=2,
                  per_layer=True, upstream=R.SPIKINGJELLY_0_0_0_0_8)
    R.save(fx, os.path.join(out, "spikingjelly_lif_t4.json"))


CASES = [case_mlp, case_convnet, case_weighted_sum, case_identity, case_spikingjelly]


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    out = args[0] if args else os.path.join(ROOT, "fixtures", "recorder")
    if check:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, os.path.abspath(__file__), tmp], check=True)
            names = sorted(os.listdir(tmp))
            same, diff, missing = filecmp.cmpfiles(tmp, out, names, shallow=False)
            extra = sorted(set(os.listdir(out)) - set(names)) if os.path.isdir(out) else []
            if diff or missing or extra:
                sys.exit(f"record_fixtures.py --check: differs {diff}, missing {missing}, not produced {extra}")
            print(f"record_fixtures.py --check: {len(same)} files identical")
        return
    os.makedirs(out, exist_ok=True)
    for case in CASES:
        case(out)
    for name in sorted(os.listdir(out)):
        print(f"{os.path.join(out, name)}  {os.path.getsize(os.path.join(out, name))} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
