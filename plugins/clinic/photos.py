"""Photos: an editor's JPEG becomes a few small, clean files and a <picture>.

An editor puts a photo beside the article's text
(``content/articles/<slug>/photo.jpg``) and writes ordinary Markdown,
``![What the photo shows](photo.jpg)``. Reading the article (``reader.examine``,
on every core) then:

* opens the file with Pillow and accepts only what ``PHOTO_FORMATS`` lists
  (an iPhone's HEIC through pillow-heif), within ``PHOTO_MAX_BYTES`` and
  ``PHOTO_MAX_PIXELS`` (a "decompression bomb" is refused, not decoded);
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

import contextlib
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

import pillow_heif
from markupsafe import Markup
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from . import addresses, contract
from .messages import _e

# What Pillow must find inside a photo (its file types: contract.PHOTO_TYPES).
# HEIF is an iPhone's HEIC, read by pillow-heif's opener (registered below).
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
# A phone photo is 3-8 MB and 12-50 megapixels; more is not a photo for a page.
PHOTO_MAX_BYTES = 20 * 1024 * 1024
PHOTO_MAX_PIXELS = 60_000_000
# A photo narrower than this looks blurred on a phone: a warning.
PHOTO_MIN_WIDTH = 800
# The widths written (px): the text column (PHOTO_SIZES) times the screen's
# pixels per CSS pixel, so that a phone takes a file no wider than it shows.
# On a 390 px phone the column is 358 px: 480 at 1x; 716 px at 2x: 720;
# 1074 px at 3x: 1080. 720 also serves a 375 px phone at 2x (686 px) and the
# desktop column at 1x (42rem, 672 px); 1080 a 412 px phone at 2.625x (997
# px); 1200 a 430 px phone at 3x (1194 px) and desktops at 2x. The former
# 800 was 12% wider than a 2x phone shows: 46.0 KB of AVIF for the tests'
# photograph against 39.3 KB at 720. (Chromium takes the narrowest file
# that covers the screen, or the one below when the screen is nearer it.)
PHOTO_WIDTHS = (480, 720, 1080, 1200)
# The column the photo fills, for the browser to choose a width before it
# has the CSS: the page's padding is 1rem a side, the column at most 42rem.
PHOTO_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
# Formats in the order the browser should prefer them; the last is the
# <img> fallback every browser reads. Measured on the tests' detailed
# 2560 x 1600 forest photograph (1.5 MB as JPEG at quality 90), at 720 px,
# bytes and PSNR against the resized original (tests/plugins/photo_sizes.py
# prints the table for every width):
# - AVIF, what every current browser takes: quality 50: 39.3 KB, 29.3 dB;
#   55: 46.4 KB, 30.3 dB; 60: 57.1 KB, 31.5 dB. Side by side at twice
#   their size, 50 only smooths the bark's finest grain, which a 2x
#   phone's pixels are too small to show; it saves 15% against 55, which
#   with the page (about 10 KB) would leave 2 KB of a 2x phone's 60 KB
#   (60 would pass it). Speed 4 instead of 6 saves 0.2% at fifteen times
#   the encoding time.
# - WebP and JPEG, only for browsers without AVIF (Safari before 16): at
#   75 and 78 (chosen by eye on photos of rooms and hands: no visible
#   artefacts at a phone's size) they carry 32.4 and 31.7 dB at 83 and
#   89 KB. Matching AVIF's 29-30 dB (JPEG 65: 69.5 KB) would save a fifth
#   for those few browsers, with JPEG's blocks in place of AVIF's blur.
JPEG = ("jpg", "image/jpeg", "JPEG", {"quality": 78, "optimize": True, "progressive": True})
ENCODINGS = (
    ("avif", "image/avif", "AVIF", {"quality": 50, "speed": 6}),
    ("webp", "image/webp", "WEBP", {"quality": 75, "method": 4}),
    JPEG,
)


@dataclass(frozen=True)
class Shape:
    """What a photo is made into: widths, a crop (width:height) or the
    photo's own proportions (None), formats."""

    widths: tuple
    crop: tuple = None
    encodings: tuple = ENCODINGS


# In a text: the photo's own proportions, at the text column's sizes.
IN_TEXT = Shape(PHOTO_WIDTHS)
# An article's Picture when its link is shared: the 1200 x 630 that Open
# Graph readers (messengers, social sites) show best, in JPEG, which all read.
SHARED = Shape((1200,), crop=(1200, 630), encodings=(JPEG,))
# An article's Picture in a list of articles: a square, 6rem (96 px) wide.
LISTED = Shape((96, 192), crop=(1, 1))
THUMBNAIL_SIZES = "6rem"
# Part of every cache key, with ENCODINGS (a changed quality is never taken
# from the cache): change it when the way a photo is read or resized
# changes (2: HEIC read). Widths are in the files' names.
PIPELINE_VERSION = "2"
# A photo's name in Markdown: the file beside the text, nothing else.
PHOTO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
IMG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')  # nh3 writes every attribute so
SRGB = ImageCms.createProfile("sRGB")
# EXIF's Orientation tag, and its values for a camera held sideways.
ORIENTATION = 0x0112
TURNED = {5, 6, 7, 8}

# HEIC through pillow-heif, registered here, where photos are decoded: only
# the main picture (no thumbnails, depth maps or other auxiliary pictures,
# which _open would drop anyway), one thread each (the build already reads
# files on every core). pillow-heif turns the picture upright as it decodes
# it, and sets its EXIF Orientation to 1, so it is not turned twice.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False, decode_threads=1)


class PhotoProblem(Exception):
    """What is wrong with a photo, said for an editor: ``message`` (a
    messages.Message)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


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


def prepare(source, settings, shape=IN_TEXT):
    """The Photo for the file at `source` in `shape`, encoding what the
    cache lacks; PhotoProblem when it is not a photo the site takes."""
    source = Path(source)
    size = source.stat().st_size
    if size > PHOTO_MAX_BYTES:
        megabytes = math.ceil(size * 10 / 2**20) / 10  # 20 MB and a byte: 20.1 MB
        raise PhotoProblem(_e("the photo {name} is {size} MB; the limit is {limit} MB. Save a smaller copy (a "
                              "phone's “medium” size is plenty).", name=source.name, size=f"{megabytes:g}",
                              limit=f"{PHOTO_MAX_BYTES / 2**20:g}"))
    data = source.read_bytes()
    digest = hashlib.sha256(data + PIPELINE_VERSION.encode() + repr(ENCODINGS).encode()).hexdigest()[:20]
    folder = cache_folder(settings) / digest
    picture = None  # opened only if the cache lacks a file: an unchanged photo is not even decoded
    width, height = _size(source.name, data)
    variants = []
    for target in shape.widths if shape.crop else _widths(width, shape.widths):
        if shape.crop:
            target_height = round(target * shape.crop[1] / shape.crop[0])
            name = f"{target}x{target_height}"
        else:
            target_height, name = max(1, round(height * target / width)), str(target)
        for extension, _, pillow_format, options in shape.encodings:
            cached = folder / f"{name}.{extension}"
            if not cached.exists():
                picture = picture or _open(source.name, data)
                if shape.crop:  # the middle of the photo, at the crop's proportions
                    resized = ImageOps.fit(picture, (target, target_height), Image.Resampling.LANCZOS)
                else:
                    resized = picture.resize((target, target_height), Image.Resampling.LANCZOS)
                _write_atomically(cached, _encode(resized, pillow_format, options))
            variants.append(Variant(target, target_height, extension,
                                    addresses.photo_path(digest, name, extension), str(cached)))
    return Photo(str(source), digest, width, height, tuple(variants))


@contextlib.contextmanager
def _reading(name, data):
    """The photo as Pillow opens it: only as one of PHOTO_FORMATS and
    within PHOTO_MAX_PIXELS, else PhotoProblem (also for what fails while
    the caller reads it: a file cut short)."""
    Image.MAX_IMAGE_PIXELS = PHOTO_MAX_PIXELS  # beyond it Pillow warns (an error here); twice it, it refuses
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=sorted(PHOTO_FORMATS)) as opened:
                yield opened
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PhotoProblem(_e("the photo {name} has more than {millions} million pixels. Save a smaller copy (at "
                              "most 4000 px wide is plenty).", name=name,
                              millions=PHOTO_MAX_PIXELS // 1_000_000)) from None
    except (OSError, SyntaxError, ValueError) as error:  # Pillow's ways of saying "not an image I read"
        # Pillow's "cannot identify" names only its buffer; libheif's messages end in a line break.
        if isinstance(error, UnidentifiedImageError):
            raise PhotoProblem(_e("{name} is not a JPEG, PNG, WebP or HEIC photo that can be read. Export it again "
                                  "as JPEG.", name=name)) from None
        raise PhotoProblem(_e("{name} is not a JPEG, PNG, WebP or HEIC photo that can be read ({said}). Export it "
                              "again as JPEG.", name=name, said=" ".join(str(error).split()))) from None


def _size(name, data):
    """The photo's width and height upright, from its header only."""
    with _reading(name, data) as opened:
        width, height = opened.size
        turned = opened.getexif().get(ORIENTATION) in TURNED
    return (height, width) if turned else (width, height)


def _open(name, data):
    """The photo's pixels, upright, in sRGB, with nothing else of the file."""
    with _reading(name, data) as opened:
        opened.load()
        upright = ImageOps.exif_transpose(opened)
        profile = opened.info.get("icc_profile")
    if profile:  # e.g. an iPhone's Display P3: shown in sRGB like the rest of the page
        try:
            upright = ImageCms.profileToProfile(upright.convert("RGB"), io.BytesIO(profile), SRGB, outputMode="RGB")
        except ImageCms.PyCMSError:
            pass  # a profile that cannot be read: the pixels as they are
    # A new image from the pixels only: no EXIF, XMP, ICC, comment or thumbnail.
    pixels = upright.convert("RGB")
    return Image.frombytes("RGB", pixels.size, pixels.tobytes())


def _widths(width, widths):
    """The widths to write for a photo `width` px wide: never upscaled."""
    return sorted({target for target in widths if target < width} | {min(width, widths[-1])})


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


def photo_beside(name, source, line, settings, report, shapes=(IN_TEXT,)):
    """The Photos (one per shape) of the file `name` beside the content
    file `source`, or None after reporting at `line` why it cannot be used."""
    if not PHOTO_NAME.fullmatch(name) or not is_photo_file(name):
        report.error(source.shown, line, _e("the photo's file name “{name}” may hold only Latin letters, digits, "
                                            "“-”, “_” and “.”, and end in {types}. Rename the file and the link.",
                                            name=name, types=", ".join(sorted(contract.PHOTO_TYPES))))
        return None
    path = Path(source.path).parent / name
    if not path.is_file() or path.is_symlink():
        report.error(source.shown, line, _e("there is no photo {name} beside this file. Put it in {folder}/, or "
                                            "check the spelling (capitals count).", name=name,
                                            folder=Path(source.shown).parent.as_posix()))
        return None
    try:
        prepared = [prepare(path, settings, shape) for shape in shapes]
    except PhotoProblem as problem:
        report.error(source.shown, line, problem.message)
        return None
    if prepared[0].width < PHOTO_MIN_WIDTH:
        report.warn(source.shown, line, _e("the photo {name} is only {width} px wide and will look blurred on "
                                           "many screens. Use a copy at least {minimum} px wide.", name=name,
                                           width=prepared[0].width, minimum=PHOTO_MIN_WIDTH), "small-photo")
    return prepared


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
        prepared = photo_beside(name, source, source.body_line(name), settings, report)
        if prepared is None:
            continue
        eager = first and (first_section < 0 or match.start() < first_section)
        alt = html.unescape(attributes.get("alt", ""))
        pieces += [html_text[last:match.start()], picture_html(prepared[0], alt, settings, eager=eager)]
        last, first = match.end(), False
        photos += prepared
    return "".join(pieces) + html_text[last:], photos


@dataclass(frozen=True)
class ArticlePicture:
    """An article's Picture field, prepared: the crop shown when its link is
    shared (a Variant), the thumbnail for lists (a Photo), what it shows."""

    shared: Variant
    listed: Photo
    alt: str


def article_picture(source, values, settings, report):
    """The ArticlePicture for the Picture and Picture_alt fields (values
    as checked), or None after reporting what is wrong; and its Photos."""
    name, alt = values.get("picture"), values.get("picture_alt")
    if name and not alt:
        report.error(source.shown, source.line_of("picture"), _e(
            "Picture needs a description: add a line “Picture_alt: …” saying what the photo shows, for people who "
            "cannot see it."))
    if alt and not name:
        report.error(source.shown, source.line_of("picture_alt"), _e(
            "Picture_alt describes the Picture, but there is none: add “Picture: photo.jpg” (a photo beside this "
            "file), or remove the line."))
    if not name or not alt:
        return None, []
    prepared = photo_beside(name, source, source.line_of("picture"), settings, report, (SHARED, LISTED))
    if prepared is None:
        return None, []
    shared, listed = prepared
    return ArticlePicture(shared.variants[0], listed, alt), prepared


def picture_html(photo, alt, settings, sizes=PHOTO_SIZES, eager=False, css_class="mc-photo"):
    """The <picture> for a Photo: every format at every width, the JPEG as
    the <img> every browser understands."""
    def srcset(extension):
        return ", ".join(f"{addresses.site_file_url(variant.path, settings)} {variant.width}w"
                         for variant in photo.of_type(extension))

    *modern, (fallback, _, _, _) = ENCODINGS
    sources = "".join(f'<source type="{mime}" srcset="{srcset(extension)}" sizes="{sizes}">'
                      for extension, mime, _, _ in modern)
    largest = photo.of_type(fallback)[-1]
    middle = photo.of_type(fallback)[len(photo.of_type(fallback)) // 2]
    loading = 'fetchpriority="high"' if eager else 'loading="lazy"'
    return (f'<picture class="{css_class}">{sources}'
            f'<img src="{addresses.site_file_url(middle.path, settings)}" srcset="{srcset(fallback)}" '
            f'sizes="{sizes}" width="{largest.width}" height="{largest.height}" '
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
        photos = [(entry.name, entry.stat()) for entry in entries if is_photo_file(entry.name) and entry.is_file()]
    return tuple(sorted((name, stat.st_size, stat.st_mtime_ns) for name, stat in photos))


def write_used_photos(pelican):
    from .build import build_state

    write_photos(build_state(pelican.settings).photos.values(), pelican.settings)


def install_template_filter(generator):
    settings = generator.settings

    def list_picture(picture):
        """An ArticlePicture's thumbnail for a list: beside the title that
        says what it is, so it is decorative (alt="") and never loaded
        before it is scrolled to."""
        return Markup(picture_html(picture.listed, "", settings, sizes=THUMBNAIL_SIZES,
                                   css_class="mc-article-list__picture"))

    generator.env.filters["list_picture"] = list_picture


def register():
    from pelican import signals

    signals.generator_init.connect(install_template_filter)
    signals.finalized.connect(write_used_photos)
