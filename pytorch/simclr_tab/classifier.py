"""The fine-tuned classifier the app downloads (classifier.safetensors): simclr-tab's torchvision ResNet with
`fc` as the classifier. Without the projection head's first layer, fc is nn.Linear(d, classes), the names of
torchvision.models.resnet18(num_classes=classes). With it (SimCLR v2's fine-tuning from the head's first layer),
fc is an nn.Sequential numbered as the projection head's: v1 Linear(d, hidden), ReLU, Linear(hidden, classes);
v2 Linear(d, hidden, bias=False), BatchNorm1d(hidden), ReLU, Linear(hidden, classes). The model outputs logits;
the app's probabilities are their softmax."""
from torch import nn

from .models import build_encoder, resolve_stem
from .safetensors_io import load_file, load_metadata


def build_classifier(encoder, width_multiplier, stem, num_classes, head_layer="none", hidden=None):
    """head_layer: "none", "v1" or "v2" (the file's metadata says which); hidden: the head layer's width."""
    model = build_encoder(encoder, width_multiplier, stem)
    dim = _output_channels(model)
    if head_layer == "none":
        model.fc = nn.Linear(dim, num_classes)
    elif head_layer == "v1":
        model.fc = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, num_classes))
    elif head_layer == "v2":
        model.fc = nn.Sequential(
            nn.Linear(dim, hidden, bias=False), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, num_classes)
        )
    else:
        raise ValueError(f'head_layer must be "none", "v1" or "v2", not {head_layer!r}')
    return model


def _output_channels(model):
    block = model.layer4[-1]
    return (block.bn3 if hasattr(block, "bn3") else block.bn2).num_features


def load_classifier(path):
    """Builds the classifier a classifier.safetensors describes (its metadata) and loads it with strict=True."""
    meta = load_metadata(path)
    state = load_file(path)
    head_layer = meta["head_layer"]
    hidden = state["fc.0.weight"].shape[0] if head_layer != "none" else None
    stem = resolve_stem(meta["stem"], int(meta["image_size"]))
    model = build_classifier(
        meta["encoder"], float(meta["width_multiplier"]), stem, int(meta["num_classes"]), head_layer, hidden
    )
    model.load_state_dict(state, strict=True)
    return model.eval()
