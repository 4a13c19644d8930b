"""PyTorch side of simclr-tab: read/write .safetensors and build the torchvision ResNet our files fit."""
from .models import IMAGENET_MEAN, IMAGENET_STD, build_encoder, build_projection_head, preprocess
from .safetensors_io import load_file, save_file

__all__ = [
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "build_encoder",
    "build_projection_head",
    "load_file",
    "preprocess",
    "save_file",
]
