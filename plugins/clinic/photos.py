"""Photos: an editor's JPEG becomes a few small, clean files and a <picture>.

An editor puts a photo beside the article's text
(``content/articles/<slug>/photo.jpg``) and writes ordinary Markdown,
``![What the photo shows](photo.jpg)``. Reading the article (``reader.examine``,
on every core) then:

* opens the file with Pillow and accepts only what ``PHOTO_FORMATS`` lists,
  within ``PHOTO_MAX_BYTES`` and ``PHOTO_MAX_PIXELS`` (a "decompression
  bomb" is refused, not decoded);
* turns it upright (the camera's Orientation tag), converts it to sRGB and
  drops everything else the file carried: GPS position, camera serial,
  dates, thumbnails, comments. Each output is encoded from bare pixels, so
  nothing can ride along;
* writes AVIF, WebP and a JPEG fallback at ``PHOTO_WIDTHS`` (never wider
  than the photo) into the photo cache, named by the source's hash: an
  unchanged photo is never encoded again (``PHOTO_CACHE_PATH``, git-ignored);
* replaces the ``<img>`` with a ``<picture>``: ``srcset`` and ``sizes`` so
  a phone takes the small file, ``width``/``height`` so the page does not
  jump while it loads, ``loading="lazy"`` except for a first photo before
  the first section heading, which the visitor sees at once.

The files go to ``photos/<hash>-<width>.<ext>`` (``addresses.photo_path``),
shared by the languages of an article; they are linked into the site when
the build writes it (``write_photos``).
"""

import hashlib
import html
import io
import math
import os
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from . import addresses, contract

# What Pillow must find inside a photo (its file types: contract.PHOTO_TYPES).
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
# A phone photo is 3-8 MB and 12-50 megapixels; more is not a photo for a page.
PHOTO_MAX_BYTES = 20 * 1024 * 1024
PHOTO_MAX_PIXELS = 60_000_000
# A photo narrower than this looks blurred on a phone: a warning.
PHOTO_MIN_WIDTH = 800
# The widths written (px). 480 covers a 390 px phone at 1x and most at 1.25x;
# 800 and 1200 the text column (at most 44rem) on 2x screens and desktops.
PHOTO_WIDTHS = (480, 800, 1200)
# The column the photo fills, for the browser to choose a width before it
# has the CSS: the page's padding is 1rem a side, the column at most 42rem.
PHOTO_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
# Formats in the order the browser should prefer them; the last is the
# <img> fallback every browser reads. Settings chosen by eye on photos of
# rooms and hands: no visible artefacts at a phone's size.
ENCODINGS = (
    ("avif", "image/avif", "AVIF", {"quality": 55, "speed": 6}),
    ("webp", "image/webp", "WEBP", {"quality": 75, "method": 4}),
    ("jpg", "image/jpeg", "JPEG", {"quality": 78, "optimize": True, "progressive": True}),
)
# Part of every cache key: change it when the encodings or widths change.
PIPELINE_VERSION = "1"
# A photo's name in Markdown: the file beside the text, nothing else.
PHOTO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
IMG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')  # nh3 writes every attribute so
SRGB = ImageCms.createProfile("sRGB")


class PhotoProblem(Exception):
    """What is wrong with a photo, said for an editor."""


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    extension: str
    path: str  # in the site: photos/<hash>-<width>.<ext>
    cached: str  # the encoded file in the photo cache


@dataclass(frozen=True)
class Photo:
    """A photo, prepared: its source, size upright, and its encoded files."""

    source: str
    digest: str
    width: int
    height: int
    variants: tuple  # of Variant

    def of_type(self, extension):
        return [variant for variant in self.variants if variant.extension == extension]


def is_photo_file(name):
    return Path(name).suffix.lower() in contract.PHOTO_TYPES


def cache_folder(settings):
    return Path(settings.get("PHOTO_CACHE_PATH") or Path(settings["CACHE_PATH"]) / "photos")


def prepare(source, settings):
    """The Photo for the file at `source`, encoding what the cache lacks;
    PhotoProblem when it is not a photo the site takes."""
    source = Path(source)
    size = source.stat().st_size
    if size > PHOTO_MAX_BYTES:
        megabytes = math.ceil(size * 10 / 2**20) / 10  # 20 MB and a byte: 20.1 MB
        raise PhotoProblem(f"the photo {source.name} is {megabytes:g} MB; the limit is "
                           f"{PHOTO_MAX_BYTES / 2**20:g} MB. Save a smaller copy (a phone's “medium” size is plenty).")
    data = source.read_bytes()
    digest = hashlib.sha256(data + PIPELINE_VERSION.encode()).hexdigest()[:20]
    folder = cache_folder(settings) / digest
    picture = _open(source.name, data)
    width, height = picture.size
    variants = []
    for target in _widths(width):
        target_height = max(1, round(height * target / width))
        for extension, _, pillow_format, options in ENCODINGS:
            cached = folder / f"{target}.{extension}"
            if not cached.exists():
                resized = picture.resize((target, target_height), Image.Resampling.LANCZOS)
                _write_atomically(cached, _encode(resized, pillow_format, options))
            variants.append(Variant(target, target_height, extension,
                                    addresses.photo_path(digest, target, extension), str(cached)))
    return Photo(str(source), digest, width, height, tuple(variants))


def _open(name, data):
    """The photo's pixels, upright, in sRGB, with nothing else of the file."""
    Image.MAX_IMAGE_PIXELS = PHOTO_MAX_PIXELS  # beyond it Pillow warns; twice it, it refuses
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=sorted(PHOTO_FORMATS)) as opened:
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                profile = opened.info.get("icc_profile")
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PhotoProblem(f"the photo {name} has more than {PHOTO_MAX_PIXELS // 1_000_000} million pixels. "
                           "Save a smaller copy (at most 4000 px wide is plenty).") from None
    except (OSError, SyntaxError, ValueError) as error:  # Pillow's ways of saying "not an image I read"
        raise PhotoProblem(f"{name} is not a JPEG, PNG or WebP photo Pillow can read ({error}). "
                           "Export it again as JPEG.") from None
    if profile:  # e.g. an iPhone's Display P3: shown in sRGB like the rest of the page
        try:
            upright = ImageCms.profileToProfile(upright.convert("RGB"), io.BytesIO(profile), SRGB, outputMode="RGB")
        except ImageCms.PyCMSError:
            pass  # a profile that cannot be read: the pixels as they are
    # A new image from the pixels only: no EXIF, XMP, ICC, comment or thumbnail.
    pixels = upright.convert("RGB")
    return Image.frombytes("RGB", pixels.size, pixels.tobytes())


def _widths(width):
    """The widths to write for a photo `width` px wide: never upscaled."""
    return sorted({target for target in PHOTO_WIDTHS if target < width} | {min(width, PHOTO_WIDTHS[-1])})


def _encode(picture, pillow_format, options):
    buffer = io.BytesIO()
    picture.save(buffer, pillow_format, **options)
    return buffer.getvalue()


def _write_atomically(path, data):
    """Write `path` whole or not at all (two processes may encode one photo)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def use_photos(html_text, source, settings, report):
    """The article's HTML with each of its photos as a <picture>, and the
    Photos used; problems go to `report` at the photo's line."""
    photos, first = [], True
    first_section = html_text.find("<h2")
    pieces, last = [], 0
    for match in IMG.finditer(html_text):
        attributes = dict(ATTRIBUTE.findall(match.group(0)))
        name = html.unescape(attributes.get("src", ""))
        if "/" in name or "{" in name or not is_photo_file(name):
            continue  # a site path or a Pelican link: checked as links are
        line = source.body_line(name)
        if not PHOTO_NAME.fullmatch(name):
            report.error(source.shown, line, f"the photo's file name “{name}” may hold only Latin letters, digits, "
                         "“-”, “_” and “.”. Rename the file and the link.")
            continue
        path = Path(source.path).parent / name
        if not path.is_file() or path.is_symlink():
            report.error(source.shown, line, f"there is no photo {name} beside this file. Put it in "
                         f"{Path(source.shown).parent.as_posix()}/, or check the spelling (capitals count).")
            continue
        try:
            photo = prepare(path, settings)
        except PhotoProblem as problem:
            report.error(source.shown, line, str(problem))
            continue
        if photo.width < PHOTO_MIN_WIDTH:
            report.warn(source.shown, line, f"the photo {name} is only {photo.width} px wide and will look blurred "
                        f"on many screens. Use a copy at least {PHOTO_MIN_WIDTH} px wide.", "small-photo")
        eager = first and (first_section < 0 or match.start() < first_section)
        alt = html.unescape(attributes.get("alt", ""))
        pieces += [html_text[last:match.start()], picture_html(photo, alt, settings, eager)]
        last, first = match.end(), False
        photos.append(photo)
    return "".join(pieces) + html_text[last:], photos


def picture_html(photo, alt, settings, eager=False):
    """The <picture> for a Photo: every format at every width, the JPEG as
    the <img> every browser understands."""
    def srcset(extension):
        return ", ".join(f"{addresses.site_file_url(variant.path, settings)} {variant.width}w"
                         for variant in photo.of_type(extension))

    *modern, (fallback, _, _, _) = ENCODINGS
    sources = "".join(f'<source type="{mime}" srcset="{srcset(extension)}" sizes="{PHOTO_SIZES}">'
                      for extension, mime, _, _ in modern)
    largest = photo.of_type(fallback)[-1]
    middle = photo.of_type(fallback)[len(photo.of_type(fallback)) // 2]
    loading = 'fetchpriority="high"' if eager else 'loading="lazy"'
    return (f'<picture class="mc-photo">{sources}'
            f'<img src="{addresses.site_file_url(middle.path, settings)}" srcset="{srcset(fallback)}" '
            f'sizes="{PHOTO_SIZES}" width="{largest.width}" height="{largest.height}" '
            f'alt="{html.escape(alt)}" {loading} decoding="async"></picture>')


def write_photos(photos, settings):
    """Put each Photo's files into the site: linked from the cache (copied
    where the file system cannot link), each file once."""
    for photo in photos:
        if not all(Path(variant.cached).exists() for variant in photo.variants):
            prepare(photo.source, settings)  # the cache was emptied since the photo was read
        for variant in photo.variants:
            target = Path(settings["OUTPUT_PATH"]) / variant.path
            if target.exists():
                continue  # named by content: already the same bytes
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(variant.cached, target)
            except OSError:
                shutil.copyfile(variant.cached, target)


def folder_stamp(content_file):
    """The photos beside a content file, as (name, size, modification time):
    the file's reading depends on them too (rendering.digest_of)."""
    with os.scandir(os.path.dirname(content_file)) as entries:
        return tuple(sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                            for entry in entries if is_photo_file(entry.name) and entry.is_file()))


def write_used_photos(pelican):
    from .build import build_state

    write_photos(build_state(pelican.settings).photos.values(), pelican.settings)


def register():
    from pelican import signals

    signals.finalized.connect(write_used_photos)
