"""Parity between simclr-tab and PyTorch, driven by src/core/export/pytorch-parity.test.ts.

  parity.py check-export DIR   load DIR/encoder.safetensors and DIR/head.safetensors (strict=True), run
                               DIR/images.u8 through them, print the max abs diff to the app's outputs
  parity.py make-fixtures DIR  write torchvision ResNets with random weights as .safetensors, with images
                               and PyTorch's embeddings of them, for the app to load and reproduce

Files: <case>.json (shapes, config), <case>.u8 images [n, s, s, 3], <case>.f32 outputs, row-major.
"""
import json
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simclr_tab import (  # noqa: E402
    build_encoder,
    build_projection_head,
    load_file,
    load_metadata,
    preprocess,
    resolve_stem,
    save_file,
)


def read_f32(path, shape):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(shape)


def read_images(path, count, size):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(count, size, size, 3)


def check_export(directory):
    case = json.load(open(os.path.join(directory, "case.json")))
    meta = load_metadata(os.path.join(directory, "encoder.safetensors"))
    # The architecture as the file's own metadata gives it, as a user of the file would read it.
    stem = resolve_stem(meta["stem"], int(meta["image_size"]))
    encoder = build_encoder(meta["encoder"], float(meta["width_multiplier"]), stem)
    encoder.load_state_dict(load_file(os.path.join(directory, "encoder.safetensors")), strict=True)
    head = build_projection_head(case["projectionHead"], case["dim"], case["hidden"], case["out"])
    head.load_state_dict(load_file(os.path.join(directory, "head.safetensors")), strict=True)
    encoder.eval()
    head.eval()
    images = read_images(os.path.join(directory, "images.u8"), case["count"], case["size"])
    with torch.no_grad():
        h = encoder(preprocess(images))
        z = head(h)
    h_app = read_f32(os.path.join(directory, "embeddings.f32"), (case["count"], case["dim"]))
    z_app = read_f32(os.path.join(directory, "projections.f32"), (case["count"], case["out"]))
    print(json.dumps({
        "encoder_max_abs_diff": (h - h_app).abs().max().item(),
        "head_max_abs_diff": (z - z_app).abs().max().item(),
        "max_abs_value": h.abs().max().item(),
        "torch": torch.__version__,
    }))


FIXTURES = [
    # name, encoder, width, stem, image size, dtype in the file, with a classifier fc.
    # The first is torchvision.models.resnet18() itself, 1000-class fc and all (not our builder).
    ("torchvision-resnet18", "resnet18", 1.0, "imagenet", 32, torch.float32, True),
    ("small-cifar-f32", "resnet-small", 0.25, "cifar", 16, torch.float32, False),
    ("r18-imagenet-bf16-fc", "resnet18", 0.25, "imagenet", 32, torch.bfloat16, True),
    ("r50-cifar-f16", "resnet50", 0.125, "cifar", 16, torch.float16, False),
    ("r50-imagenet-f32-fc", "resnet50", 0.125, "imagenet", 32, torch.float32, True),
]


def randomize_batchnorm(model, generator):
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            c = module.num_features
            module.weight.data = 0.5 + torch.rand(c, generator=generator)
            module.bias.data = 0.1 * torch.randn(c, generator=generator)
            module.running_mean.data = 0.1 * torch.randn(c, generator=generator)
            module.running_var.data = 0.5 + torch.rand(c, generator=generator)
            module.num_batches_tracked.fill_(7)


def h_dim(model):
    """Size of the representation: the last block's output channels."""
    return model.layer4[-1].bn2.num_features * (4 if hasattr(model.layer4[-1], "bn3") else 1)


def make_fixtures(directory):
    os.makedirs(directory, exist_ok=True)
    cases = []
    for index, (name, encoder, width, stem, size, dtype, with_fc) in enumerate(FIXTURES):
        torch.manual_seed(index)
        generator = torch.Generator().manual_seed(100 + index)
        stock = name.startswith("torchvision-")
        model = torchvision.models.resnet18() if stock else build_encoder(encoder, width, stem)
        randomize_batchnorm(model, generator)
        # What the file holds is what PyTorch computes with: round to the file's dtype first.
        state = {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in model.state_dict().items()}
        model.load_state_dict({k: (v.float() if v.is_floating_point() else v) for k, v in state.items()})
        if stock:
            model.fc = torch.nn.Identity()
        elif with_fc:
            state["fc.weight"] = torch.randn(10, h_dim(model)).to(dtype)
            state["fc.bias"] = torch.zeros(10).to(dtype)
        save_file(state, os.path.join(directory, f"{name}.safetensors"))
        images = torch.randint(0, 256, (3, size, size, 3), dtype=torch.uint8, generator=generator)
        model.eval()
        with torch.no_grad():
            h = model(preprocess(images))
        with open(os.path.join(directory, f"{name}.u8"), "wb") as f:
            f.write(images.numpy().tobytes())
        with open(os.path.join(directory, f"{name}.f32"), "wb") as f:
            f.write(h.numpy().astype("<f4").tobytes())
        cases.append({"name": name, "encoder": encoder, "widthMultiplier": width, "stem": stem, "size": size,
                      "count": 3, "dim": h.shape[1], "fc": with_fc, "maxAbsValue": h.abs().max().item()})
    json.dump({"torch": torch.__version__, "cases": cases}, open(os.path.join(directory, "fixtures.json"), "w"))


if __name__ == "__main__":
    command, directory = sys.argv[1], sys.argv[2]
    {"check-export": check_export, "make-fixtures": make_fixtures}[command](directory)
