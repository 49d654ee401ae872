"""One reading: Pelican's Markdown reader, holding every file to the contract.

The checks run inside the reader Pelican itself uses, on exactly what it
reads: the metadata Python-Markdown's ``meta`` extension extracted and the
HTML it rendered (``rendering`` does Pelican's Markdown step, on every core). Nothing is parsed a second way, so the checks and the site
cannot disagree. Pelican's readers keep no line numbers; ``SourceFile``
finds them by running the ``meta`` extension's own patterns over the same
text, line by line.

What the reader does with a file:

* refuses anything but a regular UTF-8 file (a symlink, a folder named
  ``x.md``, another encoding);
* checks each field against ``contract.FIELDS``: known, given once, of its
  type and length, and Slug/Lang agreeing with the path;
* renders the text, then passes it (and the Summary) through the sanitiser;
  what the sanitiser drops is an error, and its output is what Pelican gets;
* warns about what an editor should look at (no reviewer, long sentences).

Errors are recorded in the build's ``Report`` and the file is dropped
(``ContentProblems``); the build stops before writing anything.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE
from pelican import signals
from pelican.readers import MarkdownReader

from . import claims, contract, files, photos, rendering
from .build import build_state, display_path
from .report import ContentProblems, Report
from .review import review_schedule
from .sanitise import find_line, printable, sanitise

TAG = re.compile(r"<[^>]+>")
BLOCK_TEXT = re.compile(r"<(p|li|td|th|dd|h[2-6])\b[^>]*>(.*?)</\1>", re.S)
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
IMAGE = re.compile(r"<img\b[^>]*>", re.I)
ALT = re.compile(r"""\balt\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
# An image without a description in the source, in Markdown or in HTML: to
# find its line by.
IMAGE_WITHOUT_ALT = re.compile(r"""!\[\s*\]|<img\b(?![^>]*\balt\s*=\s*(?:"\s*[^"\s]|'\s*[^'\s]|[^\s>"']))""", re.I)


@dataclass
class FieldLine:
    line: int
    continued: list = field(default_factory=list)  # line numbers of continuation lines


@dataclass
class SourceFile:
    """A content file's text, its kind and where each field is written."""

    path: Path
    shown: str  # as messages show it: content/articles/x/uk.md
    kind: str  # contract.ARTICLE or contract.PAGE
    path_slug: str
    path_lang: str
    lines: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # key -> [FieldLine], in file order
    body_start: int = 1
    values: dict = field(default_factory=dict)  # key -> the field's text, once checked
    claims: list = field(default_factory=list)  # [(phrase, acknowledged)]

    @property
    def text_version(self):
        """A short hash of what a translation translates: Title, Summary and
        the text, without its photos (see ``words_of_the_text``); not dates,
        reviewers or other fields."""
        text = "\n".join([self.field_text("title"), self.field_text("summary"),
                          *words_of_the_text(self.lines[self.body_start - 1:])])
        return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]

    def field_text(self, key):
        """A field's value as written (its first line and continuations)."""
        written = self.fields.get(key)
        if not written:
            return ""
        first = META_RE.match(self.lines[written[0].line - 1]).group("value")
        more = [META_MORE_RE.match(self.lines[n - 1]).group("value") for n in written[0].continued]
        return " ".join(part.strip() for part in [first, *more]).strip()

    def line_of(self, key):
        written = self.fields.get(key)
        return written[0].line if written else 1

    def body_line(self, needle):
        """The line of the text holding `needle`, else the text's first line."""
        body = self.lines[self.body_start - 1:]
        return find_line(body, needle, self.body_start) or self.body_start


# A photo in the text: Markdown's ![description](file) (or ![…][ref]), or
# the <img> HTML the allow-list lets through.
PHOTO_IN_TEXT = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])|<img\b[^>]*>", re.I)


def words_of_the_text(lines):
    """The text's lines as a translation follows them: without its photos
    and their descriptions, a line left with nothing dropped, and blank
    lines between paragraphs counted once. Adding or moving a photo does
    not make the translations stale (each language adds it with its own
    description when it likes). A changed description does not either:
    the version cannot tell it from a photo added, and what a translation
    must keep in step with is what the text says, not how it illustrates
    it."""
    kept = []
    for line in lines:
        without_photos = PHOTO_IN_TEXT.sub("", line).rstrip()
        if not without_photos.strip() and line.strip():
            continue  # a line that held only photos
        if not without_photos.strip() and (not kept or not kept[-1]):
            continue  # one blank line between paragraphs is as many; none before the first
        kept.append(without_photos if without_photos.strip() else "")
    return kept


def normalised_lines(text):
    """The text's lines as Python-Markdown sees them (its NormalizeWhitespace
    preprocessor keeps one line per line of the file)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")


def locate_fields(lines):
    """({key: [FieldLine]}, first body line), following the `meta`
    extension's own loop and patterns, with line numbers."""
    fields, key, index = {}, None, 0
    if lines and BEGIN_RE.match(lines[0]):
        index = 1
    while index < len(lines):
        line = lines[index]
        if line.strip() == "" or END_RE.match(line):
            index += 1
            break
        match = META_RE.match(line)
        if match:
            key = match.group("key").lower().strip()
            fields.setdefault(key, []).append(FieldLine(index + 1))
        else:
            more = META_MORE_RE.match(line)
            if more and key:
                fields[key][-1].continued.append(index + 1)
            else:
                break
        index += 1
    return fields, index + 1


def open_source(path, settings, report):
    """The SourceFile for `path`, or None after recording why it cannot be read."""
    path = Path(path)
    shown = display_path(path, settings)
    relative = path.relative_to(Path(settings["PATH"]).resolve()).parts if path.is_absolute() else path.parts
    match = re.fullmatch(contract.PATH_METADATA, "/".join(relative))
    kind = contract.KIND_OF_FOLDER.get(relative[0]) if relative else None
    if not match or kind is None:
        report.error(shown, 1, "content files go in content/articles/<slug>/<lang>.md or "
                     "content/pages/<slug>/<lang>.md. Move it there.")
        return None
    if path.is_symlink() or not path.is_file():
        report.error(shown, 1, "this is not a plain file (a link or a folder). Replace it with the Markdown file itself.")
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report.error(shown, line, "the file is not saved as UTF-8 text. Open it in your editor and save it with the UTF-8 encoding.")
        return None
    lines = normalised_lines(text)
    fields, body_start = locate_fields(lines)
    return SourceFile(path, shown, kind, match["slug"], match["lang"], lines, fields, body_start)


def check_written_fields(source, settings, report):
    """Each field as written: known, given once, on one line."""
    allowed = contract.fields_for(source.kind)
    names = ", ".join(f.name for f in allowed)
    for key, written in source.fields.items():
        spec = contract.FIELDS_BY_KEY.get(key)
        if spec is None or source.kind not in spec.kinds:
            report.error(source.shown, written[0].line,
                         f"“{key.capitalize()}” is not a field {source.kind}s have. Use only: {names} "
                         "(or, if this line belongs to the text, leave a blank line after the fields).")
            continue
        if len(written) > 1:
            lines = ", ".join(str(w.line) for w in written)
            report.error(source.shown, written[1].line,
                         f"{spec.name} is given {len(written)} times (lines {lines}). Keep one.")
        for each in written:
            if each.continued and spec.type != "markdown":
                report.error(source.shown, each.continued[0],
                             f"this line is indented, so it continues {spec.name} from line {each.line}. "
                             f"Write {spec.name} on one line, and leave a blank line before the text.")


def check_value(spec, value, source, settings, report):
    """One field's value against its contract; True when it may be used."""
    line = source.line_of(spec.key)
    value = value.strip()
    shown = printable(value)  # in a message: on one line, whatever it holds
    if not value:
        report.error(source.shown, line, f"{spec.name} is empty. Write {spec.help} after “{spec.name}:”, or remove the line.")
        return False
    if spec.type == "date" and not contract.DATE.fullmatch(value):
        report.error(source.shown, line, f"{spec.name} is “{shown}”, which is not a date. Write it as year-month-day, e.g. 2026-11-23.")
        return False
    if spec.type == "date":
        try:
            datetime.datetime.fromisoformat(value)
        except ValueError:
            report.error(source.shown, line, f"{spec.name} is “{shown}”, which is not a date of the calendar. Check the month and the day.")
            return False
    if spec.type == "lang" and value != source.path_lang:
        path_lang = printable(source.path_lang)
        report.error(source.shown, line, f"Lang is “{shown}”, but the file is {path_lang}.md. "
                     f"Make them agree: rename the file to {shown}.md or write “Lang: {path_lang}”.")
        return False
    if spec.type == "slug" and value != source.path_slug:
        report.error(source.shown, line, f"Slug is “{shown}”, but the folder is “{printable(source.path_slug)}”. "
                     "The folder's name is the address: rename the folder, or remove the Slug line.")
        return False
    # No TOPICS setting: any name (a site that has not listed its topics).
    # A draft's TODO: see the TODO check. A wrong language: see check_path.
    if (spec.type == "topic" and settings.get("TOPICS") and contract.UNFINISHED not in value
            and source.path_lang in settings["LANGUAGES"]):
        names = topic_names(settings, source.path_lang)
        if value not in names:
            report.error(source.shown, line, f"{spec.name} is “{shown}”, which is not a topic of the site. Use one of: "
                         f"{', '.join(names) or 'none yet'}; a new topic is added to TOPICS in pelicanconf.py first.")
            return False
    if spec.type == "hash" and not contract.TEXT_VERSION.fullmatch(value):
        report.error(source.shown, line, f"{spec.name} is “{shown}”, which is not a text version (12 characters, "
                     "0-9 and a-f). Copy it from `invoke report`, or remove the line.")
        return False
    if spec.type == "choice":
        allowed = contract.STATUS_OF[source.kind] if spec.key == "status" else spec.choices
        if value.lower() not in allowed:
            report.error(source.shown, line, f"{spec.name} is “{shown}”. Use one of: {', '.join(allowed)}.")
            return False
    if spec.max_length and len(value) > spec.max_length:
        report.error(source.shown, line, f"{spec.name} is {len(value)} characters long; the limit is {spec.max_length}. Shorten it.")
        return False
    return True


def topic_names(settings, lang):
    """The names Category may hold in `lang` (the TOPICS setting)."""
    return [names[lang] for names in settings.get("TOPICS", {}).values() if lang in names]


def check_path(source, settings, report):
    """The path says the slug and language: they must be valid."""
    if source.path_lang not in settings["LANGUAGES"]:
        report.error(source.shown, 1, f"the file name says the language is “{printable(source.path_lang)}”, which is not a site "
                     f"language. Name the file after one of: {', '.join(f'{lang}.md' for lang in settings['LANGUAGES'])}.")
    slug = source.path_slug
    if not contract.SLUG.fullmatch(slug) or len(slug) > contract.SLUG_MAX_LENGTH:
        report.error(source.shown, 1, f"the folder's name “{printable(slug)}” is the page's address: it may hold only small Latin "
                     f"letters, digits and single hyphens, at most {contract.SLUG_MAX_LENGTH} characters "
                     "(e.g. neck-pain). Rename the folder.")


def plain_text(fragment):
    return " ".join(unescape(TAG.sub(" ", fragment or "")).split())


def check_rendered(source, content, status, report):
    """What the rendered text holds: unfinished parts, images, sentences."""
    for image in IMAGE.findall(content):
        alt = ALT.search(image)
        if not alt or not alt.group(1).strip("\"'").strip():
            report.error(source.shown, source.body_line(IMAGE_WITHOUT_ALT),
                         "an image has no description. Write what it shows between the brackets: ![What the photo shows](file).")
    if status != "draft" and contract.UNFINISHED in plain_text(content):
        report.error(source.shown, source.body_line(contract.UNFINISHED),
                     f"the text still says {contract.UNFINISHED}: finish it, or keep “Status: draft” until it is done.")
    if source.kind != contract.ARTICLE:
        return
    for _, block in BLOCK_TEXT.findall(content):
        for sentence in SENTENCE_END.split(plain_text(block)):
            words = sentence.split()
            if len(words) > contract.SENTENCE_MAX_WORDS:
                report.warn(source.shown, source.body_line(" ".join(words[:3])),
                            f"a sentence of {len(words)} words (“{printable(' '.join(words[:6]))} …”): sentences over "
                            f"{contract.SENTENCE_MAX_WORDS} words are hard to read in pain and on a phone. Consider splitting it.",
                            "long-sentence")


def check_review(source, metadata, today, report):
    reviewer, reviewed = metadata.get("reviewer"), metadata.get("reviewed")
    if not reviewer or not reviewed:
        report.warn(source.shown, 1, "no specialist has reviewed this article yet: add “Reviewer:” (name and "
                    "credentials) and “Reviewed:” (the date of the check). Until then its page says it is "
                    "not yet reviewed by a specialist.", "no-review")
    _, due = review_schedule(reviewed, metadata.get("review_due"))
    if due is None:
        return
    days_left = (due - today).days
    where = source.line_of("review_due" if "review_due" in source.fields else "reviewed")
    if days_left < 0:
        report.warn(source.shown, where, f"the review was due on {due}: ask the reviewer to check the article again, then update Reviewed.", "review-overdue")
    elif days_left <= contract.REVIEW_WARNING_DAYS:
        report.warn(source.shown, where, f"the review falls due on {due}, in {days_left} days: plan it now.", "review-due")


def check_claims(source, content, report):
    """Phrases that may promise a result: warnings, unless acknowledged."""
    acknowledged = claims.acknowledged_phrases(source.values.get("claims_checked"))
    texts = [(source.values.get("title", ""), source.line_of("title")),
             (plain_text(source.values.get("summary", "")), source.line_of("summary"))]
    texts += [(plain_text(block), None) for _, block in BLOCK_TEXT.findall(content)]
    for text, line in texts:
        for phrase, known in claims.find_claims(text, source.path_lang, acknowledged):
            source.claims.append((phrase, known))
            if not known:
                report.warn(source.shown, line or source.body_line(phrase),
                            f"“{printable(phrase)}” may promise a result. Health-claims rules (Ukraine's advertising law, "
                            "Art. 21) forbid promising an effect, a cure, a time to it, or that a doctor is not "
                            "needed. Ask the reviewer: reword it, or, if it is right, add it to “Claims_checked:”.",
                            "health-claim")


def normalised_words(text):
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@dataclass
class Examined:
    """One content file read and checked: what Pelican needs from it and
    what is wrong with it. Plain data, so that it can be made in another
    process (see ``rendering``)."""

    source: SourceFile  # None when the file cannot be read at all
    html: str  # the text, rendered and sanitised
    values: dict  # {field key: its value for Pelican}, the Summary rendered
    problems: Report  # this file's errors and warnings
    photos: list = field(default_factory=list)  # the photos.Photo it shows

    @property
    def failed(self):
        return bool(self.problems.errors)


def examine(source_path, settings, today):
    """Read one content file as Pelican's Markdown reader does and check it
    against the contract; nothing here needs the rest of the build."""
    report = Report()
    source = open_source(source_path, settings, report)
    if source is None:
        return Examined(None, "", {}, report)
    check_path(source, settings, report)
    check_written_fields(source, settings, report)
    text = rendering.render(source_path, settings)
    values = check_fields(source, text.meta, settings, report)
    for refusal in text.refusals:
        report.error(source.shown, source.body_line(refusal.needle), refusal.message)
    status = str(values.get("status", "published")).lower()
    check_rendered(source, text.html, status, report)
    if source.kind == contract.ARTICLE:
        check_claims(source, text.html, report)
        check_review(source, source.values, today, report)
        title, summary = normalised_words(source.values.get("title", "")), normalised_words(plain_text(values.get("summary", "")))
        if title and summary.startswith(title):
            report.warn(source.shown, source.line_of("summary"), "Summary repeats the title: say in it what the reader will learn.", "summary-repeats-title")
    html, used_photos = photos.use_photos(text.html, source, settings, report)
    if source.kind == contract.ARTICLE:
        values.pop("picture_alt", None)  # part of the picture
        picture, picture_photos = photos.article_picture(source, source.values, settings, report)
        values.pop("picture", None)
        if picture is not None:
            values["picture"] = picture
        used_photos += picture_photos
    return Examined(source, html, values, report, used_photos)


def check_fields(source, meta, settings, report):
    """The fields Python-Markdown's ``meta`` extension found, one at a time
    against the contract, as Pelican's own metadata step takes them: {key:
    value}, the Summary rendered as Pelican renders it, and sanitised."""
    values = {}
    for name, lines in meta.items():
        key = name.lower()
        spec = contract.FIELDS_BY_KEY.get(key)
        if spec is None or source.kind not in spec.kinds or len(source.fields.get(key, [])) > 1:
            continue  # reported by check_written_fields
        value = "\n".join(lines) if spec.type == "markdown" else lines[0]
        if spec.type == "markdown":
            value = " ".join(value.split())
        if not check_value(spec, value, source, settings, report):
            continue
        source.values[key] = value.strip()
        if spec.type == "markdown":
            rendered, refusals = sanitise(rendering.render_field(value, settings), summary=True)
            for refusal in refusals:
                report.error(source.shown, source.line_of(key), f"in Summary: {refusal.message}")
            values[key] = rendered
        else:
            values[key] = value.strip()
    if str(source.values.get("status", "published")).lower() != "draft":
        for key, value in source.values.items():
            if contract.UNFINISHED in value:
                report.error(source.shown, source.line_of(key), f"{contract.FIELDS_BY_KEY[key].name} still says "
                             f"{contract.UNFINISHED}: write it, or keep “Status: draft” until it is done.")
    for spec in contract.FIELDS:
        if source.kind in spec.required and spec.key not in source.fields:
            report.error(source.shown, 1, f"{spec.name} is missing. Add a line “{spec.name}: …” "
                         f"({spec.help}) to the fields at the top of the file.")
    return values


class ContentReader(MarkdownReader):
    """Pelican's Markdown reader, checking every file against the contract.

    The reading and checking (``examine``) is done on every core before
    Pelican asks (``rendering``); here its result joins the build: its
    problems go to the build's report, and its fields become Pelican's
    metadata, through Pelican's own metadata processors."""

    file_extensions = ["md"]

    def read(self, source_path):
        state = build_state(self.settings)
        examined = rendering.examined(source_path, self.settings)
        state.report.extend(examined.problems)
        if examined.failed:
            raise ContentProblems(source_path)
        source = examined.source
        state.sources[str(Path(source_path).resolve())] = source
        state.photos.update((photo.variants, photo) for photo in examined.photos)
        metadata = {key: self.pelican_value(key, value) for key, value in examined.values.items()}
        metadata.setdefault("slug", source.path_slug)
        metadata.setdefault("lang", source.path_lang)
        return examined.html, metadata


    def pelican_value(self, key, value):
        """A field as Pelican's metadata processors make it. Pelican reads
        its dates with dateutil, a fifth of a millisecond each; the
        contract has held them to ISO year-month-day (and time), which the
        standard library reads to the same datetime at a fraction of it."""
        if key in PELICAN_DATES:
            return datetime.datetime.fromisoformat(value.strip())
        return self.process_metadata(key, value)


# The fields Pelican's metadata processors read as dates.
PELICAN_DATES = {"date", "modified"}


def use_content_reader(readers):
    """Markdown files (.md only) are read by ContentReader; no other format
    is content here (the files check names any such file)."""
    for extension in list(readers.reader_classes):
        if extension != "static":  # static files are copied, not read
            del readers.reader_classes[extension]
    readers.reader_classes["md"] = ContentReader


def use_path_metadata(pelican):
    """Pelican takes Slug and Lang from the path, by the contract's pattern,
    and skips the editors' leftovers that the files check skips."""
    pelican.settings["PATH_METADATA"] = contract.PATH_METADATA
    pelican.settings["IGNORE_FILES"] = [*pelican.settings["IGNORE_FILES"], *files.leftover_patterns(pelican.settings)]


def register():
    signals.initialized.connect(use_path_metadata)
    signals.readers_init.connect(use_content_reader)
