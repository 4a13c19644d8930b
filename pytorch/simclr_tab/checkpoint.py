"""A run's state as a folder of safetensors, the layout the app downloads and imports back:

  encoder.safetensors    encoder f, torchvision names (what the app exports; loads into build_encoder)
  head.safetensors       projection head g, as its nn.Sequential names it (0.weight, ...)
  optimizer.safetensors  "<encoder|head>.<param>.<slot>" slots; __metadata__ optimizer and step
  config.json            the app's run config ({"train": TrainConfig, "storeSize", "step", ...})
  files.txt              the images trained on (the app continues training only on the same ones)
"""
import json
import os

import torch

from .models import build_encoder, build_projection_head, resolve_stem
from .safetensors_io import load_file, load_metadata, save_file


class SimclrNet(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        stem = resolve_stem(cfg["stem"], cfg["imageSize"])
        self.encoder = build_encoder(cfg["encoder"], cfg["widthMultiplier"], stem)
        with torch.no_grad():  # h's size, whatever the block type
            self.encoder.eval()
            dim = self.encoder(torch.zeros(1, 3, cfg["imageSize"], cfg["imageSize"])).shape[1]
            self.encoder.train()
        self.head = build_projection_head(cfg["projectionHead"], dim, cfg["projectionHidden"], cfg["projectionDim"])

    def forward(self, x):
        return self.head(self.encoder(x))


def architecture_metadata(cfg, part):
    return {
        "format": f"simclr-tab-{part}",
        "encoder": cfg["encoder"],
        "width_multiplier": str(cfg["widthMultiplier"]),
        "stem": cfg["stem"],
        "image_size": str(cfg["imageSize"]),
        "projection_head": cfg["projectionHead"],
    }


def load_weights(net, folder):
    for part in ("encoder", "head"):
        path = os.path.join(folder, f"{part}.safetensors")
        if not os.path.isfile(path):
            raise SystemExit(f"{path} is missing: the weights folder must hold encoder.safetensors and head.safetensors.")
        try:
            getattr(net, part).load_state_dict(load_file(path), strict=True)
        except RuntimeError as error:
            raise SystemExit(f"{path} does not fit the model config.json describes: {error}") from error


def read_optimizer(folder):
    """(tensors, metadata) of folder/optimizer.safetensors, or ({}, {}) when there is none."""
    path = os.path.join(folder, "optimizer.safetensors")
    if not os.path.isfile(path):
        return {}, {}
    return load_file(path), load_metadata(path)


def save_checkpoint(folder, net, cfg, run, optimizer_tensors, step, files_txt=None):
    """Writes the four files (and files.txt, the images trained on, when given) into `folder` (created);
    `run` is config.json's content, its step updated."""
    os.makedirs(folder, exist_ok=True)
    if files_txt is not None:
        with open(os.path.join(folder, "files.txt"), "w", encoding="utf-8") as f:
            f.write(files_txt)
    save_file(dict(net.encoder.state_dict()), os.path.join(folder, "encoder.safetensors"), architecture_metadata(cfg, "encoder"))
    save_file(dict(net.head.state_dict()), os.path.join(folder, "head.safetensors"), architecture_metadata(cfg, "projection-head"))
    meta = {"format": "simclr-tab-optimizer", "optimizer": cfg["optimizer"], "step": str(step)}
    save_file(optimizer_tensors, os.path.join(folder, "optimizer.safetensors"), meta)
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
        json.dump({**run, "step": step}, f, indent=2)
