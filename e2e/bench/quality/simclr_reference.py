"""Reference SimCLR run in PyTorch for the quality benchmark (e2e/bench/quality.bench.ts).

Trains the same small configuration as our engine -- ResNet with the CIFAR stem, SimCLR v1 head, NT-Xent,
AdamW or LARS, linear warm-up then cosine decay, SimCLR augmentations from torchvision with the same
parameters -- on a slice of Fashion-MNIST (Debian package dataset-fashion-mnist), then evaluates the
encoder with a weighted kNN (k=200, temperature 0.1, cosine; InstDisc / lightly's monitor) on the test
split, with the training slice's embeddings as the memory bank.

Usage (Debian: apt-get install -y python3-torch python3-torchvision dataset-fashion-mnist):
    /usr/bin/python3 e2e/bench/quality/simclr_reference.py config.json > result.json
"""

import gzip
import json
import math
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
BLOCKS = {"resnet-small": [1, 1, 1, 1], "resnet18": [2, 2, 2, 2]}


def read_idx(name):
    with gzip.open(f"{DATA}/{name}", "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).reshape(count, rows, cols)
    return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8).reshape(count)


def trunc_normal_he(weight):
    # tfjs heNormal: truncated normal with stddev sqrt(2 / fan_in) / 0.87962566 (Keras' correction), cut at 2 std.
    fan_in = weight[0].numel()
    std = math.sqrt(2.0 / fan_in) / 0.87962566103423978
    nn.init.trunc_normal_(weight, std=std, a=-2 * std, b=2 * std)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (self.shortcut(x) if self.shortcut is not None else x))


class Encoder(nn.Module):
    """ResNet with the CIFAR stem (3x3 stride 1, no max-pool) and global average pooling."""

    def __init__(self, name, width):
        super().__init__()
        widths = [max(1, round(w * width)) for w in (64, 128, 256, 512)]
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0], eps=1e-5, momentum=0.1), nn.ReLU())
        blocks, cin = [], widths[0]
        for stage, count in enumerate(BLOCKS[name]):
            for b in range(count):
                blocks.append(BasicBlock(cin, widths[stage], 2 if stage > 0 and b == 0 else 1))
                cin = widths[stage]
        self.blocks = nn.Sequential(*blocks)
        self.dim = cin
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                trunc_normal_he(m.weight)

    def forward(self, x):
        return self.blocks(self.stem(x)).mean(dim=(2, 3))


def head(dim, hidden, out):
    layers = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, out))
    for m in layers:
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return layers


def nt_xent(z1, z2, temperature):
    # lightly's NTXentLoss formulation: cross entropy over cosine similarities / t, self-similarity removed.
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    n = z1.shape[0]
    logits = z @ z.t() / temperature
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(logits, targets)


def learning_rate(step, total, peak, warmup):
    if warmup > 0 and step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, max(0.0, (step - warmup) / max(1, total - warmup)))
    return 0.5 * peak * (1 + math.cos(math.pi * progress))


def augmentation(cfg):
    # imported here so the speed bench (pytorch/simclr_step.py) can import the model without torchvision
    import torchvision.transforms as T

    a, s = cfg["augment"], cfg["augment"]["jitterStrength"]
    steps = [
        T.RandomResizedCrop(cfg["imageSize"], scale=(a["cropAreaMin"], a["cropAreaMax"]), ratio=(a["aspectMin"], a["aspectMax"])),
        T.RandomHorizontalFlip(a["flipP"]),
        T.RandomApply([T.ColorJitter(0.8 * s, 0.8 * s, 0.8 * s, 0.2 * s)], p=a["jitterP"]),
        T.RandomGrayscale(a["grayscaleP"]),
    ]
    if a["blurP"] > 0:
        k = max(3, round(cfg["imageSize"] * 0.1))
        steps.append(T.RandomApply([T.GaussianBlur(k if k % 2 else k + 1, (a["blurSigmaMin"], a["blurSigmaMax"]))], p=a["blurP"]))
    steps.append(T.Normalize(MEAN, STD))
    return T.Compose(steps)


@torch.no_grad()
def embed(encoder, images):
    encoder.eval()
    x = (images.float() / 255 - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)
    out = torch.cat([encoder(chunk) for chunk in x.split(500)])
    encoder.train()
    return F.normalize(out, dim=1)


def weighted_knn(bank, bank_labels, queries, query_labels, k=200, t=0.1, classes=10):
    correct = 0
    for q, ql in zip(queries.split(500), query_labels.split(500)):
        sim, idx = (q @ bank.t()).topk(k, dim=1)
        votes = F.one_hot(bank_labels[idx], classes).float() * (sim / t).exp().unsqueeze(2)
        correct += (votes.sum(1).argmax(1) == ql).sum().item()
    return correct / len(queries)


def main():
    cfg = json.load(open(sys.argv[1]))
    torch.manual_seed(cfg["seed"])
    torch.set_num_threads(cfg.get("threads", torch.get_num_threads()))
    train = read_idx("train-images-idx3-ubyte.gz")[: cfg["trainImages"]]
    train_labels = read_idx("train-labels-idx1-ubyte.gz")[: cfg["trainImages"]].long()
    test = read_idx("t10k-images-idx3-ubyte.gz")[: cfg["testImages"]]
    test_labels = read_idx("t10k-labels-idx1-ubyte.gz")[: cfg["testImages"]].long()
    # Grayscale -> RGB, as the browser decodes it; stored at the working size (28 px: no resize).
    train_rgb = train.unsqueeze(1).expand(-1, 3, -1, -1).contiguous()
    test_rgb = test.unsqueeze(1).expand(-1, 3, -1, -1).contiguous()

    encoder = Encoder(cfg["encoder"], cfg["widthMultiplier"])
    projector = head(encoder.dim, cfg["projectionHidden"], cfg["projectionDim"])
    knn_init = weighted_knn(embed(encoder, train_rgb), train_labels, embed(encoder, test_rgb), test_labels)

    params = list(encoder.named_parameters()) + [("head." + n, p) for n, p in projector.named_parameters()]
    decayed = [p for n, p in params if p.dim() > 1]
    excluded = [p for n, p in params if p.dim() <= 1]  # BatchNorm gamma/beta and biases
    groups = [{"params": decayed, "weight_decay": cfg["weightDecay"]}, {"params": excluded, "weight_decay": 0.0}]
    if cfg["optimizer"] == "adam":
        optimizer = torch.optim.AdamW(groups, lr=cfg["learningRate"], betas=(0.9, 0.999), eps=1e-8)
    elif cfg["optimizer"] == "sgd":
        optimizer = torch.optim.SGD(groups, lr=cfg["learningRate"], momentum=0.9)
    else:
        raise SystemExit(f"optimizer {cfg['optimizer']} is not in the reference script")

    augment = augmentation(cfg)
    steps, batch = cfg["steps"], cfg["batchSize"]
    warmup = math.floor(steps * cfg["warmupFraction"])
    generator = torch.Generator().manual_seed(cfg["seed"])
    order, cursor, losses = torch.randperm(len(train_rgb), generator=generator), 0, []
    started = time.time()
    for step in range(steps):
        if cursor + batch > len(order):
            order, cursor = torch.randperm(len(train_rgb), generator=generator), 0
        images = train_rgb[order[cursor : cursor + batch]].float() / 255
        cursor += batch
        v1 = torch.stack([augment(img) for img in images])
        v2 = torch.stack([augment(img) for img in images])
        lr = learning_rate(step, steps, cfg["learningRate"], warmup)
        for group in optimizer.param_groups:
            group["lr"] = lr
        z = projector(encoder(torch.cat([v1, v2])))
        loss = nt_xent(z[:batch], z[batch:], cfg["temperature"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(round(loss.item(), 6))
    seconds = time.time() - started
    knn = weighted_knn(embed(encoder, train_rgb), train_labels, embed(encoder, test_rgb), test_labels)
    json.dump(
        {"torch": torch.__version__, "threads": torch.get_num_threads(), "seconds": round(seconds, 1), "losses": losses, "knn": knn, "knnRandomInit": knn_init},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
