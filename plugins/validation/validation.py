"""Check every Markdown file before Pelican reads any of them.

Pelican logs a broken article and builds the site without it. For a health
site written by clinic staff, a mistake must stop the build with a sentence
an editor understands, naming the file and the line:

    content/articles/lumbar-pain/uk.md:4: Lang is "ua", which is not a site
    language. Use one of: uk, en, ru.

All problems of a run are listed together, then the build stops (exit code
1) before anything is written, so no half-written site ever exists. Warnings
(no reviewer yet, a review falling due, long sentences…) are printed and the
build goes on; ``invoke check --strict`` treats them as problems.

The checks read the source files themselves (Pelican's readers keep no line
numbers), following Python-Markdown's metadata rules as Pelican's Markdown
reader does. ``check_content()`` runs without Pelican, so ``invoke check`` is
fast.
"""

import calendar
import datetime
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals
from pelican.utils import slugify

from multilingual.multilingual import language_prefix

# --- The article contract ----------------------------------------------------

REQUIRED_ARTICLE_FIELDS = ["title", "date", "lang", "slug", "category", "summary"]
REQUIRED_PAGE_FIELDS = ["title", "lang", "slug"]
DATE_FIELDS = ["date", "modified", "reviewed", "review_due"]
SUMMARY_MAX_CHARACTERS = 160
# A review is due this many months after `Reviewed`, unless Review_due says.
REVIEW_INTERVAL_MONTHS = 12
# Warn when a review falls due within this many days.
REVIEW_WARNING_DAYS = 30
SENTENCE_MAX_WORDS = 25
# What `invoke new` writes where something is still to be written.
UNFINISHED = "TODO"
# How fields are written in the file (for messages).
FIELD_NAMES = {
    "title": "Title",
    "date": "Date",
    "lang": "Lang",
    "slug": "Slug",
    "category": "Category",
    "summary": "Summary",
    "modified": "Modified",
    "reviewed": "Reviewed",
    "review_due": "Review_due",
}

# Python-Markdown's metadata syntax (the `meta` extension Pelican uses).
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
META_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")
FENCE = re.compile(r"^\s*(```|~~~)")
# Raw HTML that could run code in a visitor's browser.
UNSAFE_HTML = [
    (re.compile(r"<\s*script\b", re.I), "a <script> element"),
    (re.compile(r"<\s*iframe\b", re.I), "an <iframe> element"),
    (re.compile(r"<\s*object\b", re.I), "an <object> element"),
    (re.compile(r"<\s*embed\b", re.I), "an <embed> element"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "an on…= event attribute"),
    (re.compile(r"javascript\s*:", re.I), "a javascript: address"),
]
# {filename}/{static} links, Pelican's way of linking to another source file.
INTERNAL_FILE_LINK = re.compile(r"\{(filename|static|attach)\}([^)\s\"'>]+)")
# Markdown links and images, and HTML href/src, to a root-relative address.
SITE_LINK = re.compile(r"(?:\]\(|(?:href|src)=[\"'])(/[^)\s\"']*)")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass
class Problem:
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Source:
    """One Markdown file, its metadata and where each field is written."""

    path: Path
    content_root: Path
    relative: str  # as shown in messages, e.g. content/articles/x/uk.md
    kind: str  # "article" or "page"
    metadata: dict = field(default_factory=dict)
    lines_of: dict = field(default_factory=dict)  # field -> line number
    body_start: int = 1  # line number of the first body line
    body: list = field(default_factory=list)  # the body's lines

    def line(self, key):
        return self.lines_of.get(key, 1)


@dataclass
class Report:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def error(self, source, line, message):
        self.errors.append(Problem(source.relative, line, message))

    def warn(self, source, line, message):
        self.warnings.append(Problem(source.relative, line, message))


# --- Reading --------------------------------------------------------------------


def parse_source(path, content_root, relative, kind, report):
    """Read one file's metadata block and body; None if it is not UTF-8."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report.errors.append(
            Problem(
                relative,
                line,
                "the file is not saved as UTF-8 text. Open it in your editor and "
                "save it with the UTF-8 encoding.",
            )
        )
        return None
    source = Source(path=path, content_root=content_root, relative=relative, kind=kind)
    lines = text.splitlines()
    index = 0
    if lines and lines[0].strip() == "---":  # optional YAML-style fence
        index = 1
    key = None
    while index < len(lines):
        line = lines[index]
        match = META_LINE.match(line)
        continuation = META_CONTINUATION.match(line)
        if match:
            key = match.group("key").lower()
            source.metadata[key] = match.group("value").strip()
            source.lines_of[key] = index + 1
        elif continuation and key:
            source.metadata[key] += " " + continuation.group("value").strip()
        else:
            if line.strip() in ("---", "..."):
                index += 1
            break
        index += 1
    source.body_start = index + 1
    source.body = lines[index:]
    return source


def find_sources(content_path, settings, report):
    """Every Markdown source under the article and page folders."""
    content_path = Path(content_path)
    sources = []
    for kind, folders in (("article", settings["ARTICLE_PATHS"]), ("page", settings["PAGE_PATHS"])):
        for folder in folders:
            for path in sorted((content_path / folder).rglob("*.md")):
                relative = f"{content_path.name}/{path.relative_to(content_path).as_posix()}"
                source = parse_source(path, content_path, relative, kind, report)
                if source is not None:
                    sources.append(source)
    return sources


# --- Rules ----------------------------------------------------------------------


def parse_date(value):
    try:
        return datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # The same day of the month, or the month's last day (31 Jan + 1 month).
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def review_schedule(reviewed, review_due):
    """(last review, next review due) as dates, from the two fields' text.

    The next review is Review_due when given, else Reviewed plus
    REVIEW_INTERVAL_MONTHS; either is None when unknown or not a date.
    """
    last = parse_date(reviewed or "")
    due = parse_date(review_due or "")
    if due is None and last is not None:
        due = add_months(last, REVIEW_INTERVAL_MONTHS)
    return (last.date() if last else None), (due.date() if due else None)


def check_fields(source, settings, report):
    metadata = source.metadata
    required = REQUIRED_ARTICLE_FIELDS if source.kind == "article" else REQUIRED_PAGE_FIELDS
    for key in required:
        if key not in metadata:
            report.error(
                source,
                1,
                f"{FIELD_NAMES[key]} is missing. Add a line “{FIELD_NAMES[key]}: …” "
                "to the fields at the top of the file.",
            )
        elif not metadata[key]:
            report.error(
                source,
                source.line(key),
                f"{FIELD_NAMES[key]} is empty. Write its value after “{FIELD_NAMES[key]}:”.",
            )
    for key in DATE_FIELDS:
        if metadata.get(key) and parse_date(metadata[key]) is None:
            report.error(
                source,
                source.line(key),
                f"{FIELD_NAMES[key]} is “{metadata[key]}”, which is not a date. Write it "
                "as year-month-day, e.g. 2026-11-23.",
            )
    lang = metadata.get("lang")
    if lang and lang not in settings["LANGUAGES"]:
        known = ", ".join(settings["LANGUAGES"])
        report.error(
            source,
            source.line("lang"),
            f"Lang is “{lang}”, which is not a site language. Use one of: {known}.",
        )
    summary = metadata.get("summary", "")
    if len(summary) > SUMMARY_MAX_CHARACTERS:
        report.error(
            source,
            source.line("summary"),
            f"Summary is {len(summary)} characters long; the limit is "
            f"{SUMMARY_MAX_CHARACTERS}. Shorten it to one or two sentences.",
        )
    slug = metadata.get("slug")
    if slug and slug != slugify(slug, settings.get("SLUG_REGEX_SUBSTITUTIONS", [])):
        report.error(
            source,
            source.line("slug"),
            f"Slug “{slug}” may hold only small Latin letters, digits and hyphens, "
            f"e.g. “{slugify(slug, settings.get('SLUG_REGEX_SUBSTITUTIONS', []))}”.",
        )


def body_lines(source):
    """(line number, text) of the body, skipping fenced code blocks."""
    in_fence = False
    for offset, line in enumerate(source.body):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence and not line.startswith("    "):
            yield source.body_start + offset, line


def check_unfinished(source, report):
    """`invoke new` marks what is left to write with TODO: only drafts may keep it."""
    if source.metadata.get("status", "").lower() == "draft":
        return
    for key, line in sorted(source.lines_of.items(), key=lambda item: item[1]):
        if UNFINISHED in source.metadata.get(key, ""):
            report.error(source, line, f"{key.capitalize()} still says {UNFINISHED}: write it, or keep “Status: draft” until it is done.")
    for number, line in body_lines(source):
        if UNFINISHED in line:
            report.error(source, number, f"the text still says {UNFINISHED}: finish it, or keep “Status: draft” until it is done.")


def check_body(source, report):
    for number, line in body_lines(source):
        for pattern, what in UNSAFE_HTML:
            if pattern.search(line):
                report.error(
                    source,
                    number,
                    f"the text contains {what}, which could run code in a visitor's "
                    "browser. Remove it: articles are plain Markdown.",
                )
        for match in INTERNAL_FILE_LINK.finditer(line):
            target = match.group(2).split("#")[0].split("?")[0]
            # Like Pelican: relative to the file, or to content/ with a leading /.
            base = source.content_root if target.startswith("/") else source.path.parent
            if not (base / target.lstrip("/")).exists():
                report.error(
                    source,
                    number,
                    f"the link {{{match.group(1)}}}{match.group(2)} points to a file that "
                    "does not exist. Check the file name and folder.",
                )


def site_urls(sources, settings):
    """The root-relative address of every page the build will write."""
    default_lang = settings["DEFAULT_LANG"]
    urls = {"/"} | {f"/{lang}/" for lang in settings["LANGUAGES"] if lang != default_lang}
    for source in sources:
        metadata = source.metadata
        lang, slug = metadata.get("lang"), metadata.get("slug")
        if not lang or not slug:
            continue
        prefix = language_prefix(lang, settings)
        status = metadata.get("status", "published").lower()
        kind = "DRAFT" if status == "draft" else source.kind.upper()
        key = f"{kind}_URL" if lang == default_lang else f"{kind}_LANG_URL"
        if source.kind == "page" and slug == "home":
            urls.add(f"/{prefix}")
            continue
        urls.add("/" + settings[key].format(slug=slug, lang=lang))
        if metadata.get("category"):
            category_slug = slugify(metadata["category"], settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
            urls.add("/" + settings["CATEGORY_URL"].format(lang_prefix=prefix, slug=category_slug))
        urls.add(f"/{prefix}404.html")
    return urls


def static_urls(content_path, settings):
    content_path = Path(content_path)
    urls = set()
    for folder in settings.get("STATIC_PATHS", []):
        for path in (content_path / folder).rglob("*"):
            if path.is_file():
                relative = path.relative_to(content_path).as_posix()
                target = settings.get("EXTRA_PATH_METADATA", {}).get(relative, {}).get("path", relative)
                urls.add("/" + target)
    return urls


def check_site_links(source, known_urls, report):
    for number, line in body_lines(source):
        for match in SITE_LINK.finditer(line):
            address = urlsplit(match.group(1)).path
            candidates = {address, address.removesuffix("index.html")}
            if not candidates & known_urls:
                report.error(
                    source,
                    number,
                    f"the link {match.group(1)} leads to no page of this site. Check "
                    "the address (the slug, the language prefix, the ending /).",
                )


def check_translations(sources, settings, report):
    groups = {}
    for source in sources:
        slug, lang = source.metadata.get("slug"), source.metadata.get("lang")
        if slug and lang:
            groups.setdefault((source.kind, slug), []).append(source)
    for (kind, slug), members in groups.items():
        seen = {}
        for source in members:
            lang = source.metadata["lang"]
            if lang in seen:
                report.error(
                    source,
                    source.line("slug"),
                    f"{seen[lang].relative} already has Slug “{slug}” in language "
                    f"“{lang}”. Give this one another Slug, or another Lang.",
                )
            else:
                seen[lang] = source
        originals = [s for s in members if s.metadata.get("translation", "false").lower() == "false"]
        if not originals:
            for source in members:
                report.error(
                    source,
                    source.line("translation"),
                    f"this is marked as a translation, but there is no original with "
                    f"Slug “{slug}”. Check the Slug, or remove “Translation: true”.",
                )
        if kind == "article" and settings["DEFAULT_LANG"] not in seen:
            for source in members:
                report.warn(
                    source,
                    1,
                    f"there is no {settings['DEFAULT_LANG']} version of this article "
                    f"(Slug “{slug}”). The law requires the Ukrainian version: add "
                    f"{source.path.parent.name}/{settings['DEFAULT_LANG']}.md.",
                )


def check_review(source, today, report):
    metadata = source.metadata
    if not metadata.get("reviewer") or not metadata.get("reviewed"):
        report.warn(
            source,
            1,
            "no specialist has reviewed this article yet: add “Reviewer:” (name and "
            "credentials) and “Reviewed:” (the date of the check).",
        )
    _, due = review_schedule(metadata.get("reviewed"), metadata.get("review_due"))
    if due is None:
        return
    days_left = (due - today).days
    where = source.line("review_due" if "review_due" in metadata else "reviewed")
    if days_left < 0:
        report.warn(source, where, f"the review was due on {due}: ask the reviewer to check the article again, then update Reviewed.")
    elif days_left <= REVIEW_WARNING_DAYS:
        report.warn(source, where, f"the review falls due on {due}, in {days_left} days: plan it now.")


def plain_words(line):
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links and images
    line = re.sub(r"<[^>]+>|[#*_`>]|^\s*[-+]\s|^\s*\d+\.\s|^!!!.*", " ", line)
    return line


def check_style(source, report):
    for number, line in body_lines(source):
        for sentence in SENTENCE_END.split(plain_words(line)):
            words = sentence.split()
            if len(words) > SENTENCE_MAX_WORDS:
                report.warn(
                    source,
                    number,
                    f"a sentence of {len(words)} words (“{' '.join(words[:6])} …”): "
                    f"sentences over {SENTENCE_MAX_WORDS} words are hard to read in "
                    "pain and on a phone. Consider splitting it.",
                )
    title = normalised(source.metadata.get("title", ""))
    summary = normalised(source.metadata.get("summary", ""))
    if title and summary and summary.startswith(title):
        report.warn(
            source,
            source.line("summary"),
            "Summary repeats the title: say in it what the reader will learn.",
        )


def normalised(text):
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def check_content(content_path, settings, today=None):
    """Check every source under content_path; return a Report."""
    report = Report()
    today = today or settings.get("CONTENT_CHECK_DATE") or datetime.date.today()
    sources = find_sources(content_path, settings, report)
    known_urls = site_urls(sources, settings) | static_urls(content_path, settings)
    for source in sources:
        check_fields(source, settings, report)
        check_body(source, report)
        check_unfinished(source, report)
        check_site_links(source, known_urls, report)
        if source.kind == "article":
            check_review(source, today, report)
            check_style(source, report)
    check_translations(sources, settings, report)
    report.errors.sort(key=lambda p: (p.path, p.line))
    report.warnings.sort(key=lambda p: (p.path, p.line))
    return report


def print_report(report, strict=False, building=True, stream=None):
    """Print every problem; return True when the build may go on."""
    stream = stream or sys.stderr
    for warning in report.warnings:
        print(f"{warning}  [warning]", file=stream)
    for error in report.errors:
        print(error, file=stream)
    failures = len(report.errors) + (len(report.warnings) if strict else 0)
    if failures:
        then = "build again. Nothing was built." if building else "check again."
        print(
            f"\n{failures} problem{'s' if failures != 1 else ''} in the content: fix "
            f"{'them' if failures != 1 else 'it'} and {then}",
            file=stream,
        )
    return failures == 0


def check_before_build(pelican):
    """Stop the build, before anything is written, if the content is broken."""
    settings = pelican.settings
    report = check_content(settings["PATH"], settings)
    if not print_report(report, strict=settings.get("CONTENT_CHECK_STRICT", False)):
        # SystemExit: Pelican lets it through, so the editor sees our lines
        # and no Python traceback.
        raise SystemExit(1)


def register():
    signals.initialized.connect(check_before_build)
