"""The run's images and SimCLR augmentations as torchvision transforms with the app's parameters
(src/core/augment/params.ts). Images are prepared as the app stores them: RGB, centre-cropped to a square,
resized to the store size; views are random resized crops of that at the run's image size."""
import os

import torch

from .models import IMAGENET_MEAN, IMAGENET_STD

EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif")


def list_images(root, files_txt=None):
    """Paths relative to `root`: the lines of files.txt, or every image under root when files_txt is None."""
    if files_txt is None:
        found = []
        for folder, _, names in os.walk(root):
            found += [os.path.relpath(os.path.join(folder, n), root) for n in names if n.lower().endswith(EXTENSIONS)]
        if not found:
            raise SystemExit(f"--data {root}: no images ({', '.join(EXTENSIONS)}) found.")
        return sorted(found)
    with open(files_txt, encoding="utf-8") as f:
        names = [line.rstrip("\n") for line in f if line.strip()]
    # The app's paths start with the loaded folder's name: --data may be that folder or its parent.
    if names and not os.path.isfile(os.path.join(root, names[0])) and "/" in names[0]:
        inside = [n.split("/", 1)[1] if "/" in n else n for n in names]
        if os.path.isfile(os.path.join(root, inside[0])):
            names = inside
    missing = [n for n in names if not os.path.isfile(os.path.join(root, n))]
    if missing:
        raise SystemExit(
            f"--data {root}: {len(missing)} of the {len(names)} files in {files_txt} are not there "
            f"(first: {missing[0]}). Point --data at the folder you trained on, or pass --all-images."
        )
    return names


def blur_kernel_size(view_size):
    k = max(3, int(view_size * 0.1 + 0.5))
    return k if k % 2 == 1 else k + 1


def view_transform(cfg):
    """uint8 [3, S, S] tensor -> normalized float [3, s, s] view."""
    import torchvision.transforms as T

    a, s, size = cfg["augment"], cfg["augment"]["jitterStrength"], cfg["imageSize"]
    steps = [
        T.ConvertImageDtype(torch.float32),
        T.RandomResizedCrop(size, scale=(a["cropAreaMin"], a["cropAreaMax"]), ratio=(a["aspectMin"], a["aspectMax"])),
        T.RandomHorizontalFlip(a["flipP"]),
        T.RandomApply([T.ColorJitter(0.8 * s, 0.8 * s, 0.8 * s, 0.2 * s)], p=a["jitterP"]),
        T.RandomGrayscale(a["grayscaleP"]),
    ]
    if a["blurP"] > 0:
        sigma = (a["blurSigmaMin"], a["blurSigmaMax"])
        steps.append(T.RandomApply([T.GaussianBlur(blur_kernel_size(size), sigma)], p=a["blurP"]))
    steps.append(T.Normalize(IMAGENET_MEAN, IMAGENET_STD))
    return T.Compose(steps)


def load_image(path, store_size):
    from PIL import Image

    with Image.open(path) as image:
        image = image.convert("RGB")
        side = min(image.size)
        left, top = (image.width - side) // 2, (image.height - side) // 2
        bilinear = getattr(Image, "Resampling", Image).BILINEAR  # Pillow >= 9.1 names it Image.Resampling
        image = image.crop((left, top, left + side, top + side)).resize((store_size, store_size), bilinear)
        return torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8).reshape(store_size, store_size, 3)


class TwoViews(torch.utils.data.Dataset):
    """Item i: two independently augmented views of image i, each [3, s, s]."""

    def __init__(self, root, names, store_size, transform):
        self.root, self.names, self.store_size, self.transform = root, names, store_size, transform

    def __len__(self):
        return len(self.names)

    def __getitem__(self, index):
        path = os.path.join(self.root, self.names[index])
        try:
            image = load_image(path, self.store_size).permute(2, 0, 1)
        except Exception as error:  # PIL raises many kinds: name the file
            raise RuntimeError(f"{path} could not be decoded as an image: {error}") from error
        return self.transform(image), self.transform(image)
