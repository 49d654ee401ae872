"""Photos for the tests, made here, the same bytes every run.

* ``phone_photo``: about 4 MB of JPEG, 4000 x 3000, taken "sideways" (EXIF
  Orientation 6), with GPS coordinates and a camera serial in its EXIF, as
  phones write them.
* ``forest_path_photo``: a detailed 2560 x 1600 photograph, a path through a
  forest, about 1.5 MB as JPEG: leaf litter, leaves, gravel and bark made of
  noise at many scales, so that it compresses as a photograph does (a
  smooth gradient would make any budget easy).
* ``iphone_heic``: what an iPhone sends, a HEIC with the same EXIF (GPS,
  serial, Orientation) and an XMP packet holding the place too.
"""

import functools
import io
import random

import pillow_heif
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

# Where the GPS tag says the photo was taken, and the camera's serial: the
# tests look for both in every output.
GPS_LATITUDE = (50.0, 27.0, 12.34)
CAMERA_SERIAL = "SN-TEST-4821-GPS"
ORIENTATION_SIDEWAYS = 6  # the pixels are turned: shown upright, the photo is 3000 x 4000
# A photograph's detail, as JPEG at quality 90: a real 2560 x 1600 forest
# path is 1.6 MB; less than this would be a picture easier than a photograph.
DETAILED_JPEG_MIN_BYTES = 1_200_000
XMP_PLACE = b"exif:GPSLatitude='50,27.2057N'"


def camera_exif(orientation=ORIENTATION_SIDEWAYS):
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "TestPhone"  # Make
    exif[0xA431] = CAMERA_SERIAL  # BodySerialNumber (Exif IFD in real files; here in IFD0, where readers find it too)
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: GPS_LATITUDE, 3: "E", 4: (30.0, 31.0, 0.0)})
    return exif


def phone_photo(width=4000, height=3000, quality=95):
    """The JPEG's bytes: smooth shapes with fine grain, like a photo of a
    room (noise alone would compress like no photo does)."""
    shapes = Image.effect_mandelbrot((width // 4, height // 4), (-2.2, -1.2, 1.0, 1.2), 60)
    light = Image.radial_gradient("L").resize(shapes.size)
    base = Image.merge("RGB", (shapes, light, Image.blend(shapes, light, 0.5)))
    base = base.resize((width, height), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    grain = Image.effect_noise((width, height), 24).convert("RGB")
    picture = Image.blend(base, grain, 0.16)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality, exif=camera_exif())
    return buffer.getvalue()


def _noise(rng, size):
    """White noise from a seeded generator (Pillow's effect_noise is not seeded)."""
    return Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))


def _fractal(rng, size, coarsest, octaves, persistence, stretch=(1, 1)):
    """Multi-octave value noise, as nature's textures are: random grids
    enlarged smoothly, the first `coarsest` px a cell, each octave twice as
    fine and `persistence` times as strong; `stretch` draws it out (bark)."""
    result, total, amplitude = None, 0.0, 1.0
    for octave in range(octaves):
        cells = tuple(max(2, min(side, round(side * 2**octave / coarsest / drawn)))
                      for side, drawn in zip(size, stretch))
        layer = _noise(rng, cells).resize(size, Image.Resampling.BICUBIC)
        total += amplitude
        result = layer if result is None else Image.blend(result, layer, amplitude / total)
        amplitude *= persistence
    return ImageOps.autocontrast(result, cutoff=1)


def forest_path(width=2560, height=1600, seed=19):
    """The forest path's pixels: sky through the canopy, leaves, leaf
    litter, a gravel path narrowing into the distance, tree trunks nearer
    and farther, dappled light and a camera's grain."""
    rng = random.Random(seed)
    size = (width, height)
    ground = ImageOps.colorize(_fractal(rng, size, 256, 9, 0.62), (38, 30, 18), (150, 120, 70), mid=(84, 84, 40))
    foliage = ImageOps.colorize(_fractal(rng, size, 200, 9, 0.66), (12, 30, 10), (170, 200, 90), mid=(50, 100, 35))
    gaps = _fractal(rng, size, 4, 6, 0.55).point(lambda v: 255 if v > 150 else 0).filter(ImageFilter.GaussianBlur(3))
    upper = Image.composite(Image.new("RGB", size, (214, 226, 236)), foliage, gaps)
    horizon = Image.linear_gradient("L").resize(size).point(lambda v: 255 if v > 140 else v * 255 // 140)
    scene = Image.composite(ground, upper, horizon.filter(ImageFilter.GaussianBlur(40)))
    gravel = ImageOps.colorize(_fractal(rng, size, 64, 7, 0.72), (90, 78, 60), (225, 205, 170), mid=(160, 140, 110))
    path = Image.new("L", size, 0)
    middle = width / 2
    ImageDraw.Draw(path).polygon([(middle - width * 0.42, height), (middle + width * 0.30, height),
                                  (middle + 40, height * 0.58), (middle - 30, height * 0.58)], fill=255)
    ragged = _fractal(rng, size, 32, 6, 0.6).point(lambda v: min(255, v * 2))
    scene = Image.composite(gravel, scene, ImageChops.multiply(path.filter(ImageFilter.GaussianBlur(25)), ragged))
    bark = ImageOps.colorize(_fractal(rng, size, 64, 8, 0.7, stretch=(1, 12)), (20, 15, 10), (120, 100, 80),
                             mid=(60, 48, 36))
    trunks = Image.new("L", size, 0)
    draw = ImageDraw.Draw(trunks)
    for _ in range(14):
        x, nearness = rng.uniform(0, width), rng.uniform(0.2, 1.0)
        half, foot = (20 + 150 * nearness**2) / 2, height * (0.55 + 0.4 * nearness)
        draw.polygon([(x - half, -10), (x + half, -10), (x + half * 1.15, foot), (x - half * 1.15, foot)], fill=255)
    scene = Image.composite(bark, scene, trunks.filter(ImageFilter.GaussianBlur(1.5)))
    light = _fractal(rng, size, 8, 5, 0.5).point(lambda v: 90 + v * 165 // 255)
    scene = ImageOps.autocontrast(ImageChops.multiply(scene, Image.merge("RGB", (light,) * 3)), cutoff=0.5)
    return Image.blend(scene, _noise(rng, size).convert("RGB"), 0.06)


@functools.cache
def forest_path_photo(quality=90):
    """The forest path as a camera's JPEG (with the camera's EXIF, upright);
    checked to be as detailed as a photograph."""
    buffer = io.BytesIO()
    forest_path().save(buffer, "JPEG", quality=quality, exif=camera_exif(orientation=1))
    data = buffer.getvalue()
    assert len(data) >= DETAILED_JPEG_MIN_BYTES, f"the test photograph is only {len(data):,} bytes: not detailed"
    return data


@functools.cache
def iphone_heic(width=1600, height=1200):
    """A HEIC as an iPhone writes it: sideways (Orientation 6: shown upright,
    1200 x 1600), with GPS and a serial in its EXIF and the place in XMP."""
    picture = forest_path(width, height, seed=7)
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" ' + XMP_PLACE +
           b'/></rdf:RDF></x:xmpmeta>')
    buffer = io.BytesIO()
    # x265's fastest preset: a real HEIC in half a second instead of half a minute.
    pillow_heif.from_pillow(picture).save(buffer, quality=80, exif=camera_exif().tobytes(), xmp=xmp,
                                          enc_params={"preset": "ultrafast"})
    return buffer.getvalue()
