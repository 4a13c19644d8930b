"""PyTorch side of simclr-tab: read/write .safetensors, build the torchvision ResNet our files fit, and
continue a run (recipe/train.py: data, NT-Xent across processes, optimizers, checkpoints)."""
from .classifier import build_classifier, load_classifier
from .models import IMAGENET_MEAN, IMAGENET_STD, build_encoder, build_projection_head, preprocess, resolve_stem
from .safetensors_io import load_file, load_metadata, save_file

__all__ = [
    "IMAGENET_MEAN",
    "IMAGENET_STD",
    "build_classifier",
    "build_encoder",
    "build_projection_head",
    "load_classifier",
    "load_file",
    "load_metadata",
    "preprocess",
    "resolve_stem",
    "save_file",
]
