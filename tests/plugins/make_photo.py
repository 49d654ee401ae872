"""A phone photo for the tests: about 4 MB of JPEG, 4000 x 3000, taken
"sideways" (EXIF Orientation 6), with GPS coordinates and a camera serial in
its EXIF, as phones write them."""

import io

from PIL import Image, ImageFilter

# Where the GPS tag says the photo was taken, and the camera's serial: the
# tests look for both in every output.
GPS_LATITUDE = (50.0, 27.0, 12.34)
CAMERA_SERIAL = "SN-TEST-4821-GPS"
ORIENTATION_SIDEWAYS = 6  # the pixels are turned: shown upright, the photo is 3000 x 4000


def phone_photo(width=4000, height=3000, quality=95):
    """The JPEG's bytes: smooth shapes with fine grain, like a photo of a
    room (noise alone would compress like no photo does)."""
    shapes = Image.effect_mandelbrot((width // 4, height // 4), (-2.2, -1.2, 1.0, 1.2), 60)
    light = Image.radial_gradient("L").resize(shapes.size)
    base = Image.merge("RGB", (shapes, light, Image.blend(shapes, light, 0.5)))
    base = base.resize((width, height), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    grain = Image.effect_noise((width, height), 24).convert("RGB")
    picture = Image.blend(base, grain, 0.16)
    exif = Image.Exif()
    exif[0x0112] = ORIENTATION_SIDEWAYS
    exif[0x010F] = "TestPhone"  # Make
    exif[0xA431] = CAMERA_SERIAL  # BodySerialNumber (Exif IFD in real files; here in IFD0, where readers find it too)
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: GPS_LATITUDE, 3: "E", 4: (30.0, 31.0, 0.0)})
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()
