#!/usr/bin/env python3
"""Record whole-model fixtures of a convolutional SNN from the REAL spikingjelly 0.0.0.0.8 (training included).

    PYTHONPATH=/tmp/sj /usr/bin/python3 compat/record_spikingjelly_model.py [outdir]          # writes the fixtures
    PYTHONPATH=/tmp/sj /usr/bin/python3 compat/record_spikingjelly_model.py --check [outdir]  # regenerates, compares bytes

outdir defaults to fixtures/spikingjelly/model. spikingjelly 0.0.0.0.8 (commit c14d8ac93eed7d06a386edecdd31af5783176023)
must be on PYTHONPATH, extracted with `git archive … spikingjelly` into a temporary directory (its code never enters this
repository); the git blob sha1 of every upstream file used is checked first. Everything goes through
compat/spikeport_recorder.py, so the fixtures replay with spikeport/fixtures' replay(fixture, { model }).

Cases (T = 4 single steps after functional.reset_net, batch 2, 8×8 one-channel images in [0, 1), the SAME image at
every step as in the conv tutorial; per-layer hooks; loss mse_loss(mean_t output_t, one_hot(labels, 10)), the
tutorial's loss; two training iterations):

  conv_snn_sgd.json    Sequential(Conv2d(1,4,3,padding=1,bias=False), BatchNorm2d(4), IFNode(ATan()), MaxPool2d(2,2),
                       Flatten(), Linear(64,10,bias=False), LIFNode(tau=2.,ATan())), SGD(lr=0.5, momentum=0.9)
  conv_snn_adam.json   the same network (other seed), Adam(lr=0.05)
  conv_fashion_mnist_net_sgd.json
                       the structure of clock_driven/examples/conv_fashion_mnist.py's PythonNet scaled down
                       (channels 4, hidden 8, 8×8 input; T=4 inside forward, one call = one recorded step):
                       static_conv(Conv2d-BN) once, then T × fc(conv(x)) with IFNode(ATan()) neurons, the mean rate out;
                       SGD(lr=0.5, momentum=0.9). The class is this script's own (`__main__.ConvFashionMNISTNet`), so it
                       replays only with a port handed to replay (examples/spikingjelly/conv_mnist.ts has one).

Spikes are compared exactly, so a port may not flip one by a rounding difference: while recording, the distance
|v − v_threshold| of every neuron at every fire (both iterations) is tracked and the script refuses to write a case
whose smallest distance is below MIN_MARGIN (the seeds are chosen so that it never is). Tolerances are the recorder's
defaults (spikes exact, forward 1e-6 abs + 1e-6 rel, gradients 1e-6 abs + 1e-5 rel), except the tutorial-shaped
case's forward values (1e-5 abs + 1e-5 rel, see TUTORIAL_TOLERANCES). The output is byte-identical from run to run.
"""
import contextlib
import filecmp
import os
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import spikeport_recorder as R  # noqa: E402

ROOT = os.path.dirname(HERE)
BLOBS = {
    "spikingjelly/clock_driven/base.py": "0572576559c1034e1324ea16303e058bcf17d949",
    "spikingjelly/clock_driven/neuron.py": "72da7fc7c4137f175133232846a323c46bfe426b",
    "spikingjelly/clock_driven/surrogate.py": "edeb54accc9258e4c7bf5e6beb269a73c3865ece",
    "spikingjelly/clock_driven/functional.py": "f6b80bfeeacc6a29bd2ded3a090bba22ddabefdf",
}
MIN_MARGIN = 1e-5
WEIGHT_GAIN = 4.0  # the Linear layers' default init is scaled by this, or the output neurons of so small a net stay silent
T = 4
# The tutorial-shaped case runs two training-mode BatchNorm layers whose float32 outputs (magnitude up to ~4) differ
# from another correct implementation by a few ulps (mean/var summed in another order), and its IF neurons add those
# outputs up T times inside one call: membrane potentials then differ by up to ~3e-6 absolute (measured against
# spikeport). Its "forward" category is therefore 1e-5 absolute + 1e-5 relative; everything else keeps the defaults.
TUTORIAL_TOLERANCES = {"forward": {"kind": "close", "atol": 1e-5, "rtol": 1e-5}}


def check_release():
    R.check_spikingjelly_release("record_spikingjelly_model.py", "0.0.0.0.8", R.SPIKINGJELLY_0_0_0_0_8["commit"], BLOBS)

@contextlib.contextmanager
def fire_margin():
    """Tracks min |v - v_threshold| over every neuronal_fire call (wraps BaseNode.neuronal_fire; values unchanged)."""
    from spikingjelly.clock_driven import neuron
    orig = neuron.BaseNode.neuronal_fire
    seen = {"min": float("inf"), "fires": 0}

    def wrapped(self):
        with torch.no_grad():
            d = (self.v - self.v_threshold).abs().min().item()
        seen["min"] = min(seen["min"], d)
        seen["fires"] += 1
        return orig(self)

    neuron.BaseNode.neuronal_fire = wrapped
    try:
        yield seen
    finally:
        neuron.BaseNode.neuronal_fire = orig


def data(seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(2, 1, 8, 8, generator=g)
    labels = torch.randint(0, 10, (2,), generator=g)
    return x, F.one_hot(labels, 10).float()


def conv_snn():
    from spikingjelly.clock_driven import neuron, surrogate
    net = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1, bias=False),
        nn.BatchNorm2d(4),
        neuron.IFNode(surrogate_function=surrogate.ATan()),
        nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(4 * 4 * 4, 10, bias=False),
        neuron.LIFNode(tau=2.0, surrogate_function=surrogate.ATan()),
    )
    with torch.no_grad():
        net[5].weight.mul_(WEIGHT_GAIN)  # so that the output layer fires (the recorded state_dict is after this)
    return net


class ConvFashionMNISTNet(nn.Module):
    """conv_fashion_mnist.py's PythonNet structure with parameters for the sizes (written here, not copied):
    the tutorial is channels=128, hidden=128*4*4, 28x28 input."""

    def __init__(self, T, channels, hidden, side):
        super().__init__()
        from spikingjelly.clock_driven import neuron, surrogate
        self.T = T
        self.static_conv = nn.Sequential(
            nn.Conv2d(1, channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(channels),
        )
        self.conv = nn.Sequential(
            neuron.IFNode(surrogate_function=surrogate.ATan()),
            nn.MaxPool2d(2, 2),
            nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(channels),
            neuron.IFNode(surrogate_function=surrogate.ATan()),
            nn.MaxPool2d(2, 2),
        )
        self.fc = nn.Sequential(
            nn.Flatten(),
            nn.Linear(channels * (side // 4) ** 2, hidden, bias=False),
            neuron.IFNode(surrogate_function=surrogate.ATan()),
            nn.Linear(hidden, 10, bias=False),
            neuron.IFNode(surrogate_function=surrogate.ATan()),
        )

    def forward(self, x):
        x = self.static_conv(x)
        counter = self.fc(self.conv(x))
        for _ in range(1, self.T):
            counter = counter + self.fc(self.conv(x))
        return counter / self.T


def write(fx, seen, path):
    if seen["min"] < MIN_MARGIN:
        sys.exit(f"record_spikingjelly_model.py: {os.path.basename(path)}: a neuron came within {seen['min']:.3g} of its "
                 f"threshold (< {MIN_MARGIN}); a port could flip that spike by rounding. Pick another seed.")
    R.save(fx, path)
    print(f"{path}  {os.path.getsize(path)} bytes  ({seen['fires']} neuronal_fire calls, min |v - v_threshold| = {seen['min']:.3g})")


def case_conv(out, name, seed, optimizer, opt_text):
    x, target = data(seed)
    with fire_margin() as seen:
        fx = R.record(conv_snn, [x] * T, name=name, seed=seed,
                      description="spikingjelly 0.0.0.0.8 Sequential(Conv2d(1,4,3,padding=1,bias=False), BatchNorm2d(4), "
                                  "IFNode(surrogate_function=ATan()), MaxPool2d(2,2), Flatten(), Linear(64,10,bias=False), "
                                  "LIFNode(tau=2.,surrogate_function=ATan())) in training mode over T=4 single steps "
                                  "after functional.reset_net; the same [2,1,8,8] image at every step; per-layer hooks; "
                                  "memories v/spike per step; loss mse_loss(mean_t spikes_t, one_hot(labels,10)); "
                                  f"{opt_text}, 2 iterations.",
                      loss=R.loss_mse(target), optimizer=optimizer, iterations=2, per_layer=True,
                      upstream=R.SPIKINGJELLY_0_0_0_0_8)
    write(fx, seen, os.path.join(out, f"{name}.json"))


def case_tutorial(out):
    seed = 7
    x, target = data(seed)
    with fire_margin() as seen:
        def build():
            net = ConvFashionMNISTNet(T, 4, 8, 8)
            with torch.no_grad():
                net.fc[1].weight.mul_(WEIGHT_GAIN)
                net.fc[3].weight.mul_(WEIGHT_GAIN)
            return net

        fx = R.record(build, [x], name="conv_fashion_mnist_net_sgd", seed=seed,
                      description="the structure of spikingjelly 0.0.0.0.8 clock_driven/examples/conv_fashion_mnist.py "
                                  "PythonNet with channels 4 (tutorial 128), hidden 8 (tutorial 2048), 8x8 input "
                                  "(tutorial 28x28), T=4 inside forward (one recorded call); IFNode(ATan()) neurons; "
                                  "per-layer hooks (each child of conv/fc is called T times); loss "
                                  "mse_loss(output, one_hot(labels,10)) as the tutorial; SGD(lr=0.5, momentum=0.9), "
                                  "2 iterations. The class is defined in compat/record_spikingjelly_model.py.",
                      loss=R.loss_mse(target), optimizer=lambda ps: torch.optim.SGD(ps, lr=0.5, momentum=0.9),
                      iterations=2, per_layer=True, upstream=R.SPIKINGJELLY_0_0_0_0_8, tolerances=TUTORIAL_TOLERANCES)
    write(fx, seen, os.path.join(out, "conv_fashion_mnist_net_sgd.json"))


def record_all(out):
    check_release()
    os.makedirs(out, exist_ok=True)
    case_conv(out, "conv_snn_sgd", 11, lambda ps: torch.optim.SGD(ps, lr=0.5, momentum=0.9), "SGD(lr=0.5, momentum=0.9)")
    case_conv(out, "conv_snn_adam", 12, lambda ps: torch.optim.Adam(ps, lr=0.05), "Adam(lr=0.05)")
    case_tutorial(out)


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    out = args[0] if args else os.path.join(ROOT, "fixtures", "spikingjelly", "model")
    if check:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, os.path.abspath(__file__), tmp], check=True, stdout=subprocess.DEVNULL)
            names = sorted(os.listdir(tmp))
            same, diff, missing = filecmp.cmpfiles(tmp, out, names, shallow=False)
            if diff or missing:
                sys.exit(f"record_spikingjelly_model.py --check: differs {diff}, missing {missing}")
            print(f"record_spikingjelly_model.py --check: {len(same)} files identical")
        return
    record_all(out)


if __name__ == "__main__":
    main(sys.argv[1:])
