"""The torchvision ResNet that simclr-tab's encoder files load into with strict=True.

torchvision's ResNet has fixed stage widths (64, 128, 256, 512) and the ImageNet stem; simclr-tab adds a
width multiplier (round(64 * w), ...) and the CIFAR stem (3x3 conv, stride 1, no max-pool). build_encoder
rebuilds the stem and stages of torchvision.models.resnet.ResNet with those, so parameter names and
layouts stay torchvision's (and timm's)."""
import torch
from torch import nn
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet

# The app normalizes RGB in [0, 1] with ImageNet's statistics (src/protocol/config.ts).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

FAMILIES = {
    "resnet-small": (BasicBlock, [1, 1, 1, 1]),
    "resnet18": (BasicBlock, [2, 2, 2, 2]),
    "resnet34": (BasicBlock, [3, 4, 6, 3]),
    "resnet50": (Bottleneck, [3, 4, 6, 3]),
}


def stage_widths(width_multiplier):
    # JavaScript's Math.round rounds halves up; Python's round() would round them to even.
    return [max(1, int(w * width_multiplier + 0.5)) for w in (64, 128, 256, 512)]


def resolve_stem(stem, image_size):
    return stem if stem != "auto" else ("cifar" if image_size <= 64 else "imagenet")


def build_encoder(encoder="resnet18", width_multiplier=1.0, stem="imagenet"):
    """torchvision ResNet without its classifier (fc = Identity): images [B, 3, H, W] -> h [B, d]."""
    block, layers = FAMILIES[encoder]
    widths = stage_widths(width_multiplier)
    # One block per stage is enough to construct: every stage is rebuilt below (faster than ResNet-50's 25M).
    model = ResNet(block, [1, 1, 1, 1])
    model.inplanes = widths[0]
    if stem == "cifar":
        model.conv1 = nn.Conv2d(3, widths[0], kernel_size=3, stride=1, padding=1, bias=False)
        model.maxpool = nn.Identity()
    else:
        model.conv1 = nn.Conv2d(3, widths[0], kernel_size=7, stride=2, padding=3, bias=False)
    model.bn1 = nn.BatchNorm2d(widths[0])
    model.layer1 = model._make_layer(block, widths[0], layers[0])
    model.layer2 = model._make_layer(block, widths[1], layers[1], stride=2)
    model.layer3 = model._make_layer(block, widths[2], layers[2], stride=2)
    model.layer4 = model._make_layer(block, widths[3], layers[3], stride=2)
    model.fc = nn.Identity()
    return model


def build_projection_head(kind, input_dim, hidden, output_dim):
    """v1: Linear-ReLU-Linear; v2: Linear-BN-ReLU-Linear-BN-ReLU-Linear (no bias before BatchNorm)."""
    if kind == "v1":
        return nn.Sequential(nn.Linear(input_dim, hidden), nn.ReLU(), nn.Linear(hidden, output_dim))
    return nn.Sequential(
        nn.Linear(input_dim, hidden, bias=False),
        nn.BatchNorm1d(hidden),
        nn.ReLU(),
        nn.Linear(hidden, hidden, bias=False),
        nn.BatchNorm1d(hidden),
        nn.ReLU(),
        nn.Linear(hidden, output_dim),
    )


def preprocess(rgb_uint8):
    """[B, H, W, 3] uint8 RGB (already centre-cropped and resized) -> normalized [B, 3, H, W] float32."""
    x = torch.as_tensor(rgb_uint8).float().div(255).permute(0, 3, 1, 2)
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    return (x - mean) / std
