"""The SimCLR training step of the speed bench (e2e/bench/train.bench.ts, npm run bench:node) in PyTorch.

Same network as ours -- the ResNet, head and NT-Xent of e2e/bench/quality/simclr_reference.py, which the
quality bench checks against our engine, with the ImageNet stem (7x7 stride 2 + 3x3 max-pool) where the
case asks for it -- and the same optimizer (AdamW, weight decay 1e-6 on weights only, lr 1e-3). Views are
made once on the device beforehand (random normalized pixels), so a step is forward + backward + optimizer.
Plain fp32: TF32 off. CUDA when available, else the CPU with torch.set_num_threads(os.cpu_count()), or
$TORCH_THREADS threads where set (a like-for-like figure beside single-threaded wasm in Node).
Protocol as ours: one warm-up step timed on its own, then `steps` steps ending with one sync.

Usage: /usr/bin/python3 e2e/bench/pytorch/simclr_step.py cases.json > results.json
cases.json: {"cases": [{"name", "encoder", "widthMultiplier", "stem", "imageSize", "batchSize", "steps",
"device": "auto" | "cpu"}]}; the output has one result per case, in order.
"""

import json
import os
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "quality"))
from simclr_reference import Encoder, head, nt_xent  # noqa: E402

HIDDEN, PROJECTION, TEMPERATURE, LR, WEIGHT_DECAY = 512, 128, 0.5, 1e-3, 1e-6


def build_encoder(case):
    encoder = Encoder(case["encoder"], case["widthMultiplier"])
    if case["stem"] == "imagenet":
        width = encoder.stem[0].out_channels
        encoder.stem = nn.Sequential(
            nn.Conv2d(3, width, 7, 2, 3, bias=False),
            nn.BatchNorm2d(width, eps=1e-5, momentum=0.1),
            nn.ReLU(),
            nn.MaxPool2d(3, 2, 1),
        )
    return encoder


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def measure(case, device):
    torch.manual_seed(0)
    encoder = build_encoder(case).to(device)
    projector = head(encoder.dim, HIDDEN, PROJECTION).to(device)
    params = list(encoder.parameters()) + list(projector.parameters())
    groups = [
        {"params": [p for p in params if p.dim() > 1], "weight_decay": WEIGHT_DECAY},
        {"params": [p for p in params if p.dim() <= 1], "weight_decay": 0.0},  # BatchNorm and biases
    ]
    optimizer = torch.optim.AdamW(groups, lr=LR, betas=(0.9, 0.999), eps=1e-8)
    batch, px = case["batchSize"], case["imageSize"]
    views = torch.randn(2 * batch, 3, px, px, device=device)

    def step():
        z = projector(encoder(views))
        loss = nt_xent(z[:batch], z[batch:], TEMPERATURE)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss

    started = time.perf_counter()
    step()
    sync(device)
    warmup_s = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(case["steps"]):
        loss = step()
    last_loss = loss.item()  # the one device-to-host sync of the timed loop
    sync(device)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    return {
        "warmup_s": warmup_s,
        "step_ms": 1000 * seconds / case["steps"],
        "views_per_s": 2 * batch * case["steps"] / seconds,
        # views per CPU-second of this process (all its threads): less moved by other processes than wall time
        "views_per_cpu_s": 2 * batch * case["steps"] / cpu_seconds,
        "last_loss": last_loss,
    }


def main():
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS") or os.cpu_count() or 1))
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    cuda = torch.cuda.is_available()
    cases = json.load(open(sys.argv[1]))["cases"]
    done, results = {}, []
    for case in cases:
        device = torch.device("cuda" if cuda and case.get("device", "auto") == "auto" else "cpu")
        shape = {k: case[k] for k in ("encoder", "widthMultiplier", "stem", "imageSize", "batchSize", "steps")}
        key = json.dumps([shape, device.type], sort_keys=True)
        if key not in done:  # on a machine without CUDA the 'cpu' case is the 'auto' one: measured once
            done[key] = measure(case, device)
        results.append(
            {
                "name": case["name"],
                "device": device.type,
                "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
                "threads": torch.get_num_threads(),
                **done[key],
            }
        )
    json.dump({"torch": torch.__version__, "tf32": False, "cudnn_benchmark": cuda, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
