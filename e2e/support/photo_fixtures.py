"""Writes the bad-input fixtures that need a JPEG/GIF/TIFF encoder (Pillow) into the folder given as argv[1].

Run by e2e/support/bad-input-fixtures.ts at test time; nothing here is committed as data.
  photo.jpg         48 x 32 baseline JPEG (a control that must load)
  truncated.jpg     the first half of photo.jpg's bytes
  cmyk.jpg          32 x 32 CMYK JPEG, solid cyan
  animated.gif      16 x 16, 2 frames: red then blue (the first frame must be used)
  exif-rotated.jpg  32 x 16 stored: left half red, right half blue; EXIF orientation 6 (rotate 90 CW),
                    so upright it is 16 x 32 with red on top and blue below
  16bit.png         32 x 32, 16 bits per sample grayscale gradient
  scan.tiff         a real TIFF (browsers cannot decode it)
"""
import io
import sys
from pathlib import Path

from PIL import Image

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)

photo = Image.new("RGB", (48, 32))
photo.putdata([((x * 5) % 256, (y * 8) % 256, 128) for y in range(32) for x in range(48)])
buffer = io.BytesIO()
photo.save(buffer, "JPEG", quality=90)
jpeg = buffer.getvalue()
(out / "photo.jpg").write_bytes(jpeg)
(out / "truncated.jpg").write_bytes(jpeg[: len(jpeg) // 2])

Image.new("CMYK", (32, 32), (255, 0, 0, 0)).save(out / "cmyk.jpg", "JPEG", quality=95)

frames = [Image.new("RGB", (16, 16), (255, 0, 0)), Image.new("RGB", (16, 16), (0, 0, 255))]
frames[0].save(out / "animated.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)

stored = Image.new("RGB", (32, 16), (0, 0, 255))
stored.paste((255, 0, 0), (0, 0, 16, 16))
exif = Image.Exif()
exif[0x0112] = 6  # Orientation: the stored image must be rotated 90 degrees clockwise to be upright
stored.save(out / "exif-rotated.jpg", "JPEG", quality=95, exif=exif.tobytes())

deep = Image.new("I;16", (32, 32))
deep.putdata([(x * 2000 + y * 40) % 65536 for y in range(32) for x in range(32)])
deep.save(out / "16bit.png")

Image.new("RGB", (8, 8), (0, 128, 0)).save(out / "scan.tiff", "TIFF")
