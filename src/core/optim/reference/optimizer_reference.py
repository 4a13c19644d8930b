"""Reference parameter updates for the optimizers in src/core/optim, computed with PyTorch.

AdamW and SGD use torch.optim with one parameter group per decay setting (kernels decayed, biases and
BatchNorm not). LARS is not in torch: it is written here in torch ops after google-research/simclr's
lars_optimizer.py (classic momentum, eeta=0.001, weight decay and layer adaptation skipped for excluded
parameters), independently of the TypeScript implementation.

Run (Debian: apt-get install -y python3-torch):
    /usr/bin/python3 src/core/optim/reference/optimizer_reference.py
It writes src/core/optim/optimizers.reference.json.
"""

import json
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[4]
OUT = REPO / "src" / "core" / "optim" / "optimizers.reference.json"
STEPS = 4
LEARNING_RATES = [0.1, 0.05, 0.2, 0.01]
WEIGHT_DECAY = 0.05


def rounded(t):
    return [float(f"{v:.10g}") for v in t.detach().reshape(-1).tolist()]


def lars_step(params, grads, velocities, decays, lr, momentum=0.9, eeta=0.001, weight_decay=WEIGHT_DECAY):
    with torch.no_grad():
        for p, g, v, decay in zip(params, grads, velocities, decays):
            g = g.clone()
            scaled_lr = torch.tensor(lr, dtype=p.dtype)
            if decay:
                g = g + weight_decay * p
                w_norm = torch.linalg.norm(p)
                g_norm = torch.linalg.norm(g)
                one = torch.ones((), dtype=p.dtype)
                trust = torch.where(w_norm > 0, torch.where(g_norm > 0, eeta * w_norm / g_norm, one), one)
                scaled_lr = lr * trust
            v.mul_(momentum).add_(scaled_lr * g)
            p.sub_(v)


def run(name, initial, grads_per_step, decays):
    params = [x.clone().detach().requires_grad_(True) for x in initial]
    if name == "lars":
        velocities = [torch.zeros_like(p) for p in params]
        optimizer = None
    else:
        groups = [
            {"params": [p for p, d in zip(params, decays) if d], "weight_decay": WEIGHT_DECAY},
            {"params": [p for p, d in zip(params, decays) if not d], "weight_decay": 0.0},
        ]
        if name == "adam":
            optimizer = torch.optim.AdamW(groups, lr=LEARNING_RATES[0], betas=(0.9, 0.999), eps=1e-8)
        else:
            optimizer = torch.optim.SGD(groups, lr=LEARNING_RATES[0], momentum=0.9)
    after = []
    for step, grads in enumerate(grads_per_step):
        lr = LEARNING_RATES[step]
        if optimizer is None:
            lars_step(params, grads, velocities, decays, lr)
        else:
            for group in optimizer.param_groups:
                group["lr"] = lr
            for p, g in zip(params, grads):
                p.grad = g.clone()
            optimizer.step()
        after.append([rounded(p) for p in params])
    return after


def main():
    torch.manual_seed(0)
    shapes = [(3, 4), (4,), (2, 2, 1, 3), (3,)]
    decays = [True, False, True, False]
    names = ["dense/kernel", "dense/bias", "conv/kernel", "batch_normalization/gamma"]
    initial = [torch.randn(s, dtype=torch.float64) for s in shapes]
    initial = [torch.tensor(rounded(x), dtype=torch.float64).reshape(s) for x, s in zip(initial, shapes)]
    grads_per_step = [
        [torch.tensor(rounded(torch.randn(s, dtype=torch.float64) * 0.5), dtype=torch.float64).reshape(s) for s in shapes]
        for _ in range(STEPS)
    ]
    doc = {
        "generator": "src/core/optim/reference/optimizer_reference.py",
        "torch": torch.__version__,
        "weightDecay": WEIGHT_DECAY,
        "learningRates": LEARNING_RATES,
        "params": [
            {"name": n, "shape": list(s), "decay": d, "initial": rounded(x)}
            for n, s, d, x in zip(names, shapes, decays, initial)
        ],
        "grads": [[rounded(g) for g in step] for step in grads_per_step],
        "expected": {name: run(name, initial, grads_per_step, decays) for name in ["adam", "sgd", "lars"]},
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
