"""One step of recipe/train.py on given views, for src/core/export/recipe-parity.test.ts.

  recipe_step.py DIR   DIR/config.json, DIR/weights/ (encoder, head, optimizer .safetensors as the app
                       downloads them), DIR/views.f32 (the 2B normalized views [2B, s, s, 3], row-major)
                       and DIR/step.json ({"learningRate"}); writes DIR/after/ (a checkpoint folder) and
                       prints {"loss"} as JSON.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simclr_tab.checkpoint import SimclrNet, load_weights, read_optimizer, save_checkpoint  # noqa: E402
from simclr_tab.optim import build_optimizer, load_optimizer_tensors, optimizer_tensors  # noqa: E402
from simclr_tab.step import train_step  # noqa: E402


def main(directory):
    torch.set_num_threads(1)
    run = json.load(open(os.path.join(directory, "config.json")))
    cfg = run["train"]
    lr = json.load(open(os.path.join(directory, "step.json")))["learningRate"]
    net = SimclrNet(cfg)
    weights = os.path.join(directory, "weights")
    load_weights(net, weights)
    slots, meta = read_optimizer(weights)
    step = int(meta.get("step", 0))
    named = list(net.named_parameters())
    optimizer = build_optimizer(cfg["optimizer"], named, cfg["weightDecay"])
    load_optimizer_tensors(cfg["optimizer"], optimizer, named, slots, step)
    size, batch = cfg["imageSize"], cfg["batchSize"]
    with open(os.path.join(directory, "views.f32"), "rb") as f:
        views = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(2 * batch, size, size, 3)
    views = views.permute(0, 3, 1, 2).contiguous()
    net.train()
    loss = train_step(net, optimizer, views[:batch], views[batch:], lr, cfg["temperature"])
    save_checkpoint(os.path.join(directory, "after"), net, cfg, run, optimizer_tensors(cfg["optimizer"], optimizer, named), step + 1)
    print(json.dumps({"loss": loss.item(), "torch": torch.__version__}))


if __name__ == "__main__":
    main(sys.argv[1])
