#!/usr/bin/env python3
"""Write the bundled Fashion-MNIST sample set to public/sample/fashion-mnist/.

Takes the first 60 images of each class, in file order, from the Fashion-MNIST test split
(t10k) as installed by the Debian package dataset-fashion-mnist, and writes them as 28x28
grayscale PNGs, one folder per class, plus manifest.json and LICENSE.md.

Rerunnable: the output folder is deleted and rewritten.

    apt-get install -y dataset-fashion-mnist python3-pil
    /usr/bin/python3 public/sample/make_sample_data.py
"""

import gzip
import json
import shutil
import struct
from pathlib import Path

import numpy as np
from PIL import Image

SOURCE_DIR = Path("/usr/share/datasets/fashion-mnist")
COPYRIGHT_FILE = Path("/usr/share/doc/dataset-fashion-mnist/copyright")
OUT_DIR = Path(__file__).resolve().parent / "fashion-mnist"
PER_CLASS = 60
CLASS_NAMES = [
    "t-shirt-top",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle-boot",
]

EXPAT_FALLBACK = """\
Permission is hereby granted, free of charge, to any person obtaining a
copy of this software and associated documentation files (the "Software"),
to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense,
and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included
in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS
OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.
IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY
CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT,
TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def read_idx(path: Path) -> np.ndarray:
    """Parse a gzipped IDX file (big-endian header: magic, then one uint32 per dimension)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise ValueError(f"{path}: expected {shape}, got {body.size} bytes")
    return body.reshape(shape)


def expat_text() -> str:
    """The Expat (MIT) licence text from the Debian copyright file, unindented."""
    if not COPYRIGHT_FILE.exists():
        return EXPAT_FALLBACK
    lines = COPYRIGHT_FILE.read_text().splitlines()
    # The stand-alone "License: Expat" paragraph is the one followed by indented licence text.
    for i, line in enumerate(lines[:-1]):
        if line.strip() == "License: Expat" and lines[i + 1].startswith(" "):
            out = []
            for body in lines[i + 1 :]:
                if not body.startswith(" "):
                    break
                text = body[1:].rstrip()
                out.append("" if text == "." else text)
            return "\n".join(out).strip() + "\n"
    return EXPAT_FALLBACK


def main() -> None:
    images = read_idx(SOURCE_DIR / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(SOURCE_DIR / "t10k-labels-idx1-ubyte.gz")
    assert images.shape == (10000, 28, 28), images.shape
    assert labels.shape == (10000,), labels.shape

    if OUT_DIR.exists():
        shutil.rmtree(OUT_DIR)
    OUT_DIR.mkdir(parents=True)

    files = []
    for label, name in enumerate(CLASS_NAMES):
        indices = np.flatnonzero(labels == label)[:PER_CLASS]
        assert len(indices) == PER_CLASS, (name, len(indices))
        (OUT_DIR / name).mkdir()
        for index in indices:
            rel = f"{name}/{index:05d}.png"
            Image.fromarray(images[index]).save(OUT_DIR / rel, optimize=True)
            files.append(rel)
    files.sort()

    manifest = {
        "name": "Fashion-MNIST (600-image sample)",
        "source": "Zalando Research Fashion-MNIST (https://github.com/zalandoresearch/fashion-mnist), "
        f"test split (t10k), first {PER_CLASS} images of each class in file order",
        "license": "MIT",
        "files": files,
    }
    (OUT_DIR / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")

    class_list = "\n".join(f"- `{name}/` (label {label})" for label, name in enumerate(CLASS_NAMES))
    license_md = f"""# Fashion-MNIST sample (600 images)

A small slice of [Fashion-MNIST](https://github.com/zalandoresearch/fashion-mnist) by Zalando
Research: 28x28 grayscale images of clothing articles in 10 classes, bundled so the trainer can be
tried without bringing your own images.

## Where it came from

- Source: Zalando Research Fashion-MNIST, as packaged by Debian (`dataset-fashion-mnist`,
  `/usr/share/datasets/fashion-mnist/`).
- Split: the test split (`t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`, 10,000 images).

## How the slice was selected

The first {PER_CLASS} images of each class, in file order, from the test split: {PER_CLASS * len(CLASS_NAMES)}
images in all. Each is saved unchanged as an 8-bit grayscale PNG. A file's name is its index in the
test split, zero-padded to five digits (`00042.png` is test image 42); its folder is its class:

{class_list}

`manifest.json` lists every file. The set is produced by `public/sample/make_sample_data.py`, which can be
rerun to regenerate it exactly.

## Licence

Fashion-MNIST is released under the MIT (Expat) licence:

Copyright (c) 2017 Zalando SE, https://tech.zalando.com

```
{expat_text()}```
"""
    (OUT_DIR / "LICENSE.md").write_text(license_md)

    total = sum(p.stat().st_size for p in OUT_DIR.rglob("*") if p.is_file())
    print(f"wrote {len(files)} images to {OUT_DIR} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
