"""Prints what each photo file weighs: the numbers behind photos.PHOTO_WIDTHS
and photos.ENCODINGS.

    .venv/bin/python tests/plugins/photo_sizes.py [--qualities 50,55,60]

For the tests' detailed photograph (make_photo.forest_path_photo), at every
width the site writes: the bytes of each format as the site encodes it, and
its PSNR against the resized photo (in dB: higher is closer to it). With
--qualities, AVIF at those qualities too.
"""

import argparse
import io
import math
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "plugins")]

from clinic import photos  # noqa: E402 (after the path it is found on)
from make_photo import forest_path_photo  # noqa: E402


def psnr(original, encoded):
    decoded = Image.open(io.BytesIO(encoded)).convert("RGB")
    mean_square = sum(rms**2 for rms in ImageStat.Stat(ImageChops.difference(original, decoded)).rms) / 3
    return 10 * math.log10(255**2 / mean_square)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qualities", default="", help="AVIF qualities to compare, e.g. 50,55,60")
    qualities = [int(quality) for quality in parser.parse_args().qualities.split(",") if quality]
    data = forest_path_photo()
    picture = photos._open("forest.jpg", data)
    print(f"source: {picture.width} x {picture.height}, {len(data) / 1024:,.0f} KB as JPEG")
    for width in photos.PHOTO_WIDTHS:
        resized = picture.resize((width, round(picture.height * width / picture.width)), Image.Resampling.LANCZOS)
        cells = []
        for extension, _, pillow_format, options in photos.ENCODINGS:
            encoded = photos._encode(resized, pillow_format, options)
            cells.append(f"{extension} {len(encoded) / 1024:5.1f} KB {psnr(resized, encoded):4.1f} dB")
        for quality in qualities:
            encoded = photos._encode(resized, "AVIF", {**photos.ENCODINGS[0][3], "quality": quality})
            cells.append(f"avif q{quality} {len(encoded) / 1024:5.1f} KB {psnr(resized, encoded):4.1f} dB")
        print(f"{width:5} px | " + " | ".join(cells))


if __name__ == "__main__":
    main()
