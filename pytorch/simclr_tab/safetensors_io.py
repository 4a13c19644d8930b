"""load_file / save_file for .safetensors: the `safetensors` package when installed, else a small
reader and writer of the format (8-byte little-endian header length, JSON header with dtype, shape and
data_offsets, then raw little-endian data). Works on PyTorch 1.13 and 2.x."""
import json
import struct

import torch

try:  # pragma: no cover - depends on the machine
    from safetensors.torch import load_file as _st_load, save_file as _st_save
except ImportError:  # Debian's torch has no safetensors package
    _st_load = _st_save = None

_DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}
_NAMES = {v: k for k, v in _DTYPES.items()}


def load_file(path):
    """{name: tensor} from a .safetensors file."""
    if _st_load is not None:
        return _st_load(str(path))
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    start = 8 + length
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = _DTYPES[info["dtype"]]
        raw = bytearray(data[start + begin : start + end])
        flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = flat.reshape(info["shape"]).clone()
    return out


def load_metadata(path):
    """The file's __metadata__ (string to string)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(length)).get("__metadata__", {})


def save_file(tensors, path, metadata=None):
    """Writes {name: tensor} as .safetensors (contiguous little-endian data, header padded to 8 bytes)."""
    if _st_save is not None:
        return _st_save({k: v.contiguous() for k, v in tensors.items()}, str(path), metadata=metadata)
    header = {"__metadata__": metadata} if metadata else {}
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        t = tensor.detach().cpu().contiguous()
        # bytes via uint8 view: no numpy needed, works for bfloat16 too (x86/ARM are little-endian).
        blob = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)
