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
  type and length, holding only characters a field may hold and something
  visible, and Slug/Lang agreeing with the path; a line at the top that
  looks like a field written wrongly (``Date : …``, ``Заголовок: …``) is
  named at its line with the field it probably means;
* refuses, in the text, characters its feeds (XML) cannot carry;
* renders the text, then passes it (and the Summary) through the sanitiser;
  what the sanitiser drops is an error, and its output is what Pelican gets;
* warns about what an editor should look at (no reviewer, long sentences).

Errors are recorded in the build's ``Report`` and the file is dropped
(``ContentProblems``); the build stops before writing anything.
"""

import calendar
import datetime
import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE
from pelican import signals
from pelican.readers import MarkdownReader

from . import claims, contract, files, people, photos, rendering, sources
from .build import build_state, display_path
from .messages import DateWords, _e, _en, joined
from .report import ContentProblems, Report
from .review import review_schedule
from .sanitise import find_line, printable, sanitise

# The kinds of content file, as messages name them in the plural ("not a
# field articles have"): words of ours, so translated with the sentence.
KINDS_NAMED = {contract.ARTICLE: _e("articles"), contract.PAGE: _e("pages"), contract.PERSON: _e("people")}

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
    shown: str  # as messages show it: content/articles/x/index.uk.md
    kind: str  # contract.ARTICLE or contract.PAGE
    path_slug: str
    path_lang: str
    lines: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # key -> [FieldLine], in file order
    body_start: int = 1
    values: dict = field(default_factory=dict)  # key -> the field's text, once checked
    strays: list = field(default_factory=list)  # [StrayField]: fields written so that they are read as the text
    lost: set = field(default_factory=set)  # keys of the fields read as the text: not missing, but misplaced
    refused: set = field(default_factory=set)  # keys of fields refused as written (their characters)
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


# A line that looks like `Name: value`, whatever the name's script, spaces
# or case: a field written wrongly, when it stands at the top.
FIELD_LIKE = re.compile(r"^(?P<indent>\s*)(?P<name>[^\W\d_][\w\- ]{0,40}?)(?P<gap>\s*):(?P<value>.*)$")
# How close a misspelt name must be to a field's (difflib's ratio).
NAME_CUTOFF = 0.8
# What makes a field's name written wrongly, and how to write it.
SPACING, OTHER_LANGUAGE, MISSPELT = "spacing", "other language", "misspelt"
# A field's name in Ukrainian or Russian -> its key (contract.NAMES_IN_OTHER_LANGUAGES, turned round once).
KEY_OF_OTHER_NAME = {other: key for key, others in contract.NAMES_IN_OTHER_LANGUAGES.items() for other in others}


@dataclass
class StrayField:
    """A line near the top that looks like a field but is read as the text."""

    line: int
    written: str  # the name as written, with its colon: "Date :", "Заголовок:"
    spec: contract.Field  # the field it probably means
    how: str  # SPACING, OTHER_LANGUAGE or MISSPELT; None: a field written right, below the end of the fields
    value: str
    indent: int = 0  # spaces before the name


def meant_field(name):
    """(the contract's Field that `name` probably means, and how it is
    written wrongly: SPACING, OTHER_LANGUAGE, MISSPELT, or None when it is
    the field's own name), else (None, None)."""
    casefolded = " ".join(name.split()).casefold()
    spec = contract.FIELDS_BY_KEY.get(re.sub(r"[\s_-]+", "_", casefolded))
    if spec is not None:
        return spec, None if name.lower() == spec.key else SPACING
    if casefolded in KEY_OF_OTHER_NAME:
        return contract.FIELDS_BY_KEY[KEY_OF_OTHER_NAME[casefolded]], OTHER_LANGUAGE
    close = difflib.get_close_matches(casefolded, [*contract.FIELDS_BY_KEY, *KEY_OF_OTHER_NAME], n=1, cutoff=NAME_CUTOFF)
    if not close:
        return None, None
    if close[0] in contract.FIELDS_BY_KEY:
        return contract.FIELDS_BY_KEY[close[0]], MISSPELT
    return contract.FIELDS_BY_KEY[KEY_OF_OTHER_NAME[close[0]]], OTHER_LANGUAGE


def find_stray_fields(lines, fields, body_start, kind):
    """([StrayField], {keys of the fields read as the text}): lines of the
    text's first paragraph that look like fields of `kind` not given among
    the fields. Looked for where the fields end on a line that is not one
    (no blank line after them), or when a field that `kind` needs is
    missing; a field written right there is named once, and only when no
    field written wrongly comes before it (that one is the cause)."""
    first = body_start - 1  # the text's first line, counting from 0
    separated = first >= 1 and (not lines[first - 1].strip() or END_RE.match(lines[first - 1]))
    missing = any(kind in spec.required and spec.key not in fields for spec in contract.FIELDS)
    if not separated and first >= len(lines) or separated and not missing:
        return [], set()
    strays, lost = [], set()
    for index in range(first, len(lines)):
        line = lines[index]
        if not line.strip():
            break
        found = FIELD_LIKE.match(line)
        spec, how = meant_field(found["name"]) if found else (None, None)
        if spec is None or kind not in spec.kinds or spec.key in fields or spec.key in lost:
            continue
        if how is None and not META_RE.match(line):
            how = SPACING  # its own name, but indented too far to be read as a field
        lost.add(spec.key)
        if how is not None or not strays:
            written = found["name"] + found["gap"] + ":"
            strays.append(StrayField(index + 1, written, spec, how, found["value"].strip(), len(found["indent"])))
    return strays, lost


def stray_message(stray, lines, body_start):
    """What is wrong with a StrayField, and how to write it."""
    value = printable(stray.value[:40] + ("…" if len(stray.value) > 40 else "")) or "…"
    # (The quotes are the message's own: «…» in Ukrainian and Russian.)
    written = printable(stray.written)
    name = stray.spec.name
    if stray.how == OTHER_LANGUAGE:
        return _e("“{written}” looks like the field {name}: field names are written in English, “{name}: {value}”.",
                  written=written, name=name, value=value)
    if stray.how == MISSPELT:
        # A letter of another script that looks Latin (Cyrillic і, с, о):
        # the name looks right, so say which letter is not.
        foreign = [character_name(char) for char in dict.fromkeys(stray.written) if char.isalpha() and not char.isascii()]
        if foreign:
            return _e("“{written}” looks like the field {name}, but {characters} in it is not a Latin letter: write "
                      "the name in Latin letters, “{name}: {value}”.", written=written, name=name,
                      characters=", ".join(foreign), value=value)
        return _e("“{written}” looks like the field {name}: write it “{name}: {value}”.", written=written, name=name,
                  value=value)
    if stray.how == SPACING:
        typed = stray.written[:-1]
        fixes = []
        if typed != typed.rstrip():
            fixes.append(_e("without the space before the colon"))
        if stray.indent > 3:  # the `meta` extension reads a name after up to three spaces
            fixes.append(_e("at the start of the line"))
        if re.search(r"\S[\s-]+\S", typed.strip()) and "_" in stray.spec.name:
            fixes.append(_e("with _ between its words"))
        fix = joined(fixes, _e(" and ")) if fixes else _e("as the contract spells it")
        return _e("“{written}” looks like the field {name}: write it {fix}, “{name}: {value}”.", written=written,
                  name=name, fix=fix, value=value)
    before = body_start - 1  # the line before the text: a blank line, "---", or the last field
    if before >= 1 and not lines[before - 1].strip():
        return _e("this line looks like the field {name}, but the blank line {before} ends the fields, so it is "
                  "read as the text. Remove the blank line, so that {name} is one of the fields.",
                  name=stray.spec.name, before=before)
    if before >= 1 and END_RE.match(lines[before - 1]):
        return _e("this line looks like the field {name}, but line {before} (“{text}”) ends the fields, so it is "
                  "read as the text. Move {name} above that line.",
                  name=stray.spec.name, before=before, text=printable(lines[before - 1]))
    return _e("this line looks like the field {name}, but the fields end at line {body_start}, which is not a "
              "field, so it is read as the text. Move {name} up among the fields, and leave a blank line between "
              "the fields and the text.", name=stray.spec.name, body_start=body_start)


def open_source(path, settings, report):
    """The SourceFile for `path`, or None after recording why it cannot be read."""
    path = Path(path)
    shown = display_path(path, settings)
    relative = path.relative_to(Path(settings["PATH"]).resolve()).parts if path.is_absolute() else path.parts
    match = re.fullmatch(contract.PATH_METADATA, "/".join(relative))
    kind = contract.KIND_OF_FOLDER.get(relative[0]) if relative else None
    if not match or kind is None:
        report.error(shown, 1, _e("content files go in one of: {places}. Move it there.",
                                  places=", ".join(f"content/{folder}/<slug>/{contract.content_file_name('<lang>')}"
                                                  for folder in contract.KIND_OF_FOLDER)))
        return None
    if path.is_symlink() or not path.is_file():
        report.error(shown, 1, _e("this is not a plain file (a link or a folder). Replace it with the Markdown "
                                  "file itself."))
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report.error(shown, line, _e("the file is not saved as UTF-8 text. Open it in your editor and save it with "
                                     "the UTF-8 encoding."))
        return None
    lines = normalised_lines(text)
    fields, body_start = locate_fields(lines)
    strays, lost = find_stray_fields(lines, fields, body_start, kind)
    return SourceFile(path, shown, kind, match["slug"], match["lang"], lines, fields, body_start,
                      strays=strays, lost=lost)


# What each kind of character a field may not hold is, and why it may not,
# by Unicode general category (see contract.FIELD_CATEGORIES).
REFUSED_CHARACTERS = {
    "Cc": (_e("a control character"), _e("which pages cannot show and feeds cannot carry")),
    "Cf": (_e("an invisible formatting character"),
           _e("which cannot be seen, yet changes how the text is shown, sorted and found")),
    "Zl": (_e("a line separator"), _e("which breaks a one-line field in some programs and not in others")),
    "Zp": (_e("a paragraph separator"), _e("which breaks a one-line field in some programs and not in others")),
    "Co": (_e("a private-use character"), _e("which has no agreed look: visitors would see an empty box")),
    "Cn": (_e("a code point that is no character"), _e("which visitors would see as an empty box")),
    "Cs": (_e("half of a character (a lone surrogate)"), _e("which is not text at all")),
}


def character_name(char):
    """A character as messages name it: U+200B, and its Unicode name if it has one."""
    name = unicodedata.name(char, None)
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def refused_characters(text, may_hold):
    """The characters of `text` that `may_hold` refuses, each once, in order."""
    return list(dict.fromkeys(char for char in text if not may_hold(char)))


def check_field_characters(source, name, written, report):
    """A field's lines hold only what a field may hold, and something
    visible; True when they do."""
    lines = [number for each in written for number in [each.line, *each.continued]]
    refused = False
    for number in lines:
        for char in refused_characters(source.lines[number - 1], contract.field_may_hold):
            kind, why = REFUSED_CHARACTERS.get(unicodedata.category(char), REFUSED_CHARACTERS["Cn"])
            report.error(source.shown, number, _e("{name} holds {character} ({kind}), {why}. Delete it (retype "
                                                  "the {name} field).", name=name, character=character_name(char),
                                                  kind=kind, why=why))
            refused = True
    if refused:
        return False
    first = source.lines[written[0].line - 1]
    text = " ".join([first[first.index(":") + 1:], *(source.lines[n - 1] for n in written[0].continued)])
    if text.strip(" ") and not any(contract.is_visible(char) for char in text):
        invisible = ", ".join(character_name(char) for char in dict.fromkeys(text) if char != " ")
        report.error(source.shown, written[0].line, _e("{name} holds only invisible characters ({invisible}): a "
                                                       "page would show nothing. Write the {name} field, or remove "
                                                       "the line.", name=name, invisible=invisible))
        return False
    return True


def check_written_fields(source, settings, report):
    """Each field as written: known, given once, on one line, of characters
    a field may hold; and the lines near the top that look like fields
    written wrongly."""
    allowed = contract.fields_for(source.kind)
    names = ", ".join(f.name for f in allowed)
    for stray in source.strays:
        report.error(source.shown, stray.line, stray_message(stray, source.lines, source.body_start))
    for key, written in source.fields.items():
        spec = contract.FIELDS_BY_KEY.get(key)
        if not check_field_characters(source, spec.name if spec else key.capitalize(), written, report):
            source.refused.add(key)
        if spec is None or source.kind not in spec.kinds:
            meant, _ = meant_field(key)
            if meant is not None and source.kind in meant.kinds and meant.key not in source.fields:
                value = printable(source.field_text(key)[:40]) or "…"
                report.error(source.shown, written[0].line, _e(
                    "“{field}” is not a field {kinds} have. It looks like the field {name}: write it “{name}: {value}”.",
                    field=key.capitalize(), kinds=KINDS_NAMED[source.kind], name=meant.name, value=value))
                continue
            report.error(source.shown, written[0].line, _e(
                "“{field}” is not a field {kinds} have. Use only: {names} (or, if this line belongs to the text, "
                "leave a blank line after the fields).", field=key.capitalize(), kinds=KINDS_NAMED[source.kind],
                names=names))
            continue
        if len(written) > 1:
            lines = ", ".join(str(w.line) for w in written)
            report.error(source.shown, written[1].line, _en("{name} is given {count} time (lines {lines}). Keep one.",
                                                           "{name} is given {count} times (lines {lines}). Keep one.",
                                                           name=spec.name, count=len(written), lines=lines))
        for each in written:
            if each.continued and spec.type != "markdown":
                report.error(source.shown, each.continued[0], _e(
                    "this line is indented, so it continues {name} from line {line}. Write {name} on one line, and "
                    "leave a blank line before the text.", name=spec.name, line=each.line))


def check_value(spec, value, source, settings, report):
    """One field's value against its contract; True when it may be used."""
    line = source.line_of(spec.key)
    value = value.strip()
    shown = printable(value)  # in a message: on one line, whatever it holds
    if not value:
        report.error(source.shown, line, _e("{name} is empty. Write {help} after “{name}:”, or remove the line.",
                                            name=spec.name, help=spec.help))
        return False
    if spec.type == "date" and not contract.DATE.fullmatch(value):
        reason, suggestion = date_format_problem(value)
        if reason is None:
            report.error(source.shown, line, _e("{name} is “{value}”, which is not a date. Write it as "
                                                "year-month-day, e.g. 2026-11-23.", name=spec.name, value=shown))
        elif suggestion is None:
            report.error(source.shown, line, _e("{name} is “{value}”, which is not a date: {reason}. Write it as "
                                                "year-month-day, e.g. 2026-11-23.", name=spec.name, value=shown,
                                                reason=reason))
        else:
            report.error(source.shown, line, _e("{name} is “{value}”, which is not a date: {reason}. Write "
                                                "“{name}: {suggestion}”.", name=spec.name, value=shown, reason=reason,
                                                suggestion=suggestion))
        return False
    if spec.type == "date":
        reason = calendar_problem(value)
        if reason is not None:
            report.error(source.shown, line, _e("{name} is “{value}”, which is not a date of the calendar. Check "
                                                "the month and the day: {reason}.", name=spec.name, value=shown,
                                                reason=reason))
            return False
    if spec.type == "lang" and value != source.path_lang:
        path_lang = printable(source.path_lang)
        report.error(source.shown, line, _e("Lang is “{value}”, but the file is index.{path_lang}.md. Make them agree: "
                                            "rename the file to index.{value}.md or write “Lang: {path_lang}”.",
                                            value=shown, path_lang=path_lang))
        return False
    if spec.type == "slug" and value != source.path_slug:
        report.error(source.shown, line, _e("Slug is “{value}”, but the folder is “{folder}”. The folder's name is "
                                            "the address: rename the folder, or remove the Slug line.",
                                            value=shown, folder=printable(source.path_slug)))
        return False
    # No TOPICS setting: any name (a site that has not listed its topics).
    # A draft's TODO: see the TODO check. A wrong language: see check_path.
    if (spec.type == "topic" and settings.get("TOPICS") and contract.UNFINISHED not in value
            and source.path_lang in settings["LANGUAGES"]):
        names = topic_names(settings, source.path_lang)
        if value not in names:
            report.error(source.shown, line, _e("{name} is “{value}”, which is not a topic of the site. Use one of: "
                                                "{topics}; a new topic is added to content/clinic.yaml first.",
                                                name=spec.name, value=shown,
                                                topics=", ".join(names) if names else _e("none yet")))
            return False
    if spec.type == "hash" and not contract.TEXT_VERSION.fullmatch(value):
        report.error(source.shown, line, _e("{name} is “{value}”, which is not a text version (12 characters, 0-9 "
                                            "and a-f). Copy it from `invoke report`, or remove the line.",
                                            name=spec.name, value=shown))
        return False
    if spec.type == "choice":
        allowed = contract.STATUS_OF[source.kind] if spec.key == "status" else spec.choices
        if value.lower() not in allowed:
            report.error(source.shown, line, _e("{name} is “{value}”. Use one of: {allowed}.", name=spec.name,
                                                value=shown, allowed=", ".join(allowed)))
            return False
    if spec.type in ("person", "qualifications", "locations"):
        problems = people.value_problems(spec, value, settings)
        for problem in problems:
            report.error(source.shown, line, problem)
        if problems:
            return False
    if spec.max_length and len(value) > spec.max_length:
        report.error(source.shown, line, _en("{name} is {count} character long; the limit is {limit}. Shorten it.",
                                             "{name} is {count} characters long; the limit is {limit}. Shorten it.",
                                             name=spec.name, count=len(value), limit=spec.max_length))
        return False
    return True


# Dates as editors may write them instead of year-month-day (the first
# group is named by where it stands): with other separators (2026/12/03,
# 2026.12.03, an en dash from a word processor), the parts the other way
# round (03.12.2026), or too few digits (2026-12-3, 26-12-03).
DATE_PARTS = re.compile(r"(?P<first>\d+)(?P<separator>[-/.\u2010-\u2015]| +)(?P<second>\d+)(?P=separator)(?P<third>\d+)")


def as_date(year, month, day):
    """year-month-day, when it is a date of the calendar; else None."""
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_format_problem(value):
    """(what is wrong with a date that is not written year-month-day, the
    date it probably means or None), or (None, None) if it is no date at all."""
    found = DATE_PARTS.fullmatch(value)
    if not found:
        return None, None
    first, second, third, separator = found["first"], found["second"], found["third"], found["separator"]
    if len(third) == 4 and len(first) <= 2 and len(second) <= 2:
        year = int(third)
        day_first = as_date(year, int(second), int(first))
        # With slashes, the month may come first, as in the United States.
        month_first = as_date(year, int(first), int(second)) if separator == "/" else None
        if day_first and month_first and day_first != month_first:
            return _e("it could mean {first} ({first_date}) or {second} ({second_date})",
                      first=DateWords(day_first), first_date=day_first, second=DateWords(month_first),
                      second_date=month_first), None
        if month_first and not day_first:
            return _e("it is written month, day, year, and dates here are year-month-day"), month_first
        return _e("it is written day, month, year, and dates here are year-month-day"), day_first
    if len(first) not in (2, 4) or len(second) > 2 or len(third) > 2:
        return None, None
    year = int(first) + (2000 if len(first) == 2 else 0)
    suggestion = as_date(year, int(second), int(third))
    reasons = []
    if len(first) == 2:
        reasons.append(_e("the year needs four digits"))
    short_month, short_day = len(second) == 1, len(third) == 1
    if short_month and short_day:
        reasons.append(_e("the month and the day need two digits"))
    elif short_month:
        reasons.append(_e("the month needs two digits"))
    elif short_day:
        reasons.append(_e("the day needs two digits"))
    if separator != "-":
        reasons.append(_e("year, month and day are joined by hyphens"))
    return joined(reasons), suggestion


def calendar_problem(value):
    """What makes a date written year-month-day (and a time) not one of the
    calendar, e.g. "there is no month 13"; None when it is one."""
    try:
        datetime.datetime.fromisoformat(value)
        return None
    except ValueError:
        pass
    year, month, day = (int(part) for part in value[:10].split("-"))
    if not 1 <= month <= 12:
        return _e("there is no month {month} (months go from 01 to 12)", month=month)
    days = calendar.monthrange(year, month)[1]
    if day == 0:
        return _e("there is no day 0 (days go from 01)")
    if day > days:
        return _en("{month} has {count} day", "{month} has {count} days",
                   month=DateWords(f"{year:04d}-{month:02d}-01", "LLLL y"), count=days)
    return _e("“{time}” is not a time of day (hours go from 00 to 23, minutes from 00 to 59)", time=value[11:])


def check_dates(source, today, report):
    """No date later than tomorrow (contract.FUTURE_DAYS_ALLOWED): not the
    Date or the Modified of what is published (it would be listed first for
    as long as the date is ahead), nor a review's, which is written down
    once it is made. (Review_due is meant to be ahead.)"""
    latest = today + datetime.timedelta(days=contract.FUTURE_DAYS_ALLOWED)
    draft = str(source.values.get("status", "published")).lower() == "draft"
    for key in ("date", "modified", "reviewed"):
        value = source.values.get(key)
        if not value or datetime.datetime.fromisoformat(value).date() <= latest or key != "reviewed" and draft:
            continue
        name, today_written = contract.FIELDS_BY_KEY[key].name, today.isoformat()
        if key == "date":
            report.error(source.shown, source.line_of(key), _e(
                "{name} is {value}, later than tomorrow (today is {today}): {kind} is dated the day it is "
                "published, and one dated ahead would stay first in every list until then. Write the day it is "
                "published, or keep “Status: draft” until that day.", name=name, value=value, today=today_written,
                kind=_e("an article") if source.kind == contract.ARTICLE else _e("a page")))
        elif key == "modified":
            report.error(source.shown, source.line_of(key), _e(
                "{name} is {value}, later than tomorrow (today is {today}): write the day of the last real change "
                "to the content, or keep “Status: draft” until that day.", name=name, value=value,
                today=today_written))
        else:
            report.error(source.shown, source.line_of(key), _e(
                "{name} is {value}, later than tomorrow (today is {today}): write the day the specialist checked "
                "the article; a check still to come is written once it is made.", name=name, value=value,
                today=today_written))


def check_text_characters(source, report):
    """The text holds only what XML 1.0 can carry: it goes into the feeds."""
    for number in range(source.body_start, len(source.lines) + 1):
        if not contract.XML_REFUSED.search(source.lines[number - 1]):
            continue
        for char in refused_characters(source.lines[number - 1], contract.xml_may_hold):
            kind, _ = REFUSED_CHARACTERS.get(unicodedata.category(char), REFUSED_CHARACTERS["Cn"])
            report.error(source.shown, number, _e("the text holds {character} ({kind}), which the site's feeds "
                                                  "cannot carry and pages cannot show. Delete it (retype the words "
                                                  "around it).", character=character_name(char), kind=kind))


def topic_names(settings, lang):
    """The names Category may hold in `lang` (the TOPICS setting)."""
    return [names[lang] for names in settings.get("TOPICS", {}).values() if lang in names]


def check_path(source, settings, report):
    """The path says the slug and language: they must be valid."""
    if source.path_lang not in settings["LANGUAGES"]:
        report.error(source.shown, 1, _e("the file name says the language is “{lang}”, which is not a site "
                                         "language. Name the file after one of: {files}.",
                                         lang=printable(source.path_lang),
                                         files=", ".join(contract.content_file_name(lang) for lang in settings["LANGUAGES"])))
    slug = source.path_slug
    if not contract.SLUG.fullmatch(slug) or len(slug) > contract.SLUG_MAX_LENGTH:
        report.error(source.shown, 1, _e("the folder's name “{folder}” is the page's address: it may hold only "
                                         "small Latin letters, digits and single hyphens, at most {limit} characters "
                                         "(e.g. neck-pain). Rename the folder.", folder=printable(slug),
                                         limit=contract.SLUG_MAX_LENGTH))


def plain_text(fragment):
    return " ".join(unescape(TAG.sub(" ", fragment or "")).split())


def check_rendered(source, content, status, report):
    """What the rendered text holds: unfinished parts, images, sentences."""
    for image in IMAGE.findall(content):
        alt = ALT.search(image)
        if not alt or not alt.group(1).strip("\"'").strip():
            report.error(source.shown, source.body_line(IMAGE_WITHOUT_ALT),
                         _e("an image has no description. Write what it shows between the brackets: ![What the "
                            "photo shows](file)."))
    if status != "draft" and contract.UNFINISHED in plain_text(content):
        report.error(source.shown, source.body_line(contract.UNFINISHED),
                     _e("the text still says {todo}: finish it, or keep “Status: draft” until it is done.",
                        todo=contract.UNFINISHED))
    if source.kind != contract.ARTICLE:
        return
    for _, block in BLOCK_TEXT.findall(content):
        for sentence in SENTENCE_END.split(plain_text(block)):
            words = sentence.split()
            if len(words) > contract.SENTENCE_MAX_WORDS:
                report.warn(source.shown, source.body_line(" ".join(words[:3])),
                            _en("a sentence of {count} word (“{start} …”): sentences over {limit} words are hard to "
                                "read in pain and on a phone. Consider splitting it.",
                                "a sentence of {count} words (“{start} …”): sentences over {limit} words are hard to "
                                "read in pain and on a phone. Consider splitting it.", count=len(words),
                                start=printable(" ".join(words[:6])), limit=contract.SENTENCE_MAX_WORDS),
                            "long-sentence")


def check_review(source, metadata, today, report):
    reviewer, reviewed = metadata.get("reviewer"), metadata.get("reviewed")
    if (not reviewer or not reviewed) and not {"reviewer", "reviewed"} & source.lost:  # if lost: said why
        report.warn(source.shown, 1, _e("no specialist has reviewed this article yet: add “Reviewer:” (the name of "
                                        "their folder under content/people/) and “Reviewed:” (the date of the "
                                        "check). Until then its page says it is not yet reviewed by a specialist."),
                    "no-review")
    _, due = review_schedule(reviewed, metadata.get("review_due"))
    if due is None:
        return
    days_left = (due - today).days
    where = source.line_of("review_due" if "review_due" in source.fields else "reviewed")
    if days_left < 0:
        report.warn(source.shown, where, _e("the review was due on {due}: ask the reviewer to check the article "
                                            "again, then update Reviewed.", due=due.isoformat()), "review-overdue")
    elif days_left <= contract.REVIEW_WARNING_DAYS:
        report.warn(source.shown, where, _en("the review falls due on {due}, in {count} day: plan it now.",
                                             "the review falls due on {due}, in {count} days: plan it now.",
                                             due=due.isoformat(), count=days_left), "review-due")


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
                            _e("“{phrase}” may promise a result. Health-claims rules (Ukraine's advertising law, "
                               "Art. 21) forbid promising an effect, a cure, a time to it, or that a doctor is not "
                               "needed. Ask the reviewer: reword it, or, if it is right, add it to “Claims_checked:”.",
                               phrase=printable(phrase)),
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
    check_text_characters(source, report)
    text = rendering.render(source_path, settings)
    values = check_fields(source, text.meta, settings, report)
    check_dates(source, today, report)
    for refusal in text.refusals:
        report.error(source.shown, source.body_line(refusal.needle), refusal.message)
    status = str(values.get("status", "published")).lower()
    check_rendered(source, text.html, status, report)
    if source.kind == contract.ARTICLE:
        check_claims(source, text.html, report)
        check_review(source, source.values, today, report)
        title, summary = normalised_words(source.values.get("title", "")), normalised_words(plain_text(values.get("summary", "")))
        if title and summary.startswith(title):
            report.warn(source.shown, source.line_of("summary"),
                        _e("Summary repeats the title: say in it what the reader will learn."), "summary-repeats-title")
    html, used_photos = photos.use_photos(text.html, source, settings, report)
    # Footnotes leave the text: the theme lists them, as sources and notes.
    html, values["footnotes"] = sources.take_footnotes(html, sources.read_footnotes(source, report))
    if source.kind == contract.ARTICLE:
        sources.warn_unsourced(source, html, values["footnotes"], report)
    if source.kind == contract.ARTICLE:
        values.pop("picture_alt", None)  # part of the picture
        picture, picture_photos = photos.article_picture(source, source.values, settings, report)
        values.pop("picture", None)
        if picture is not None:
            values["picture"] = picture
        used_photos += picture_photos
        for key in ("author", "reviewer"):  # a person's slug: people.link_people finds the person
            if key in values:
                values[f"{key}_slug"] = values.pop(key)
    if source.kind == contract.PERSON:
        used_photos += people.person_values(source, values, settings, report)
    return Examined(source, html, values, report, used_photos)


def check_fields(source, meta, settings, report):
    """The fields Python-Markdown's ``meta`` extension found, one at a time
    against the contract, as Pelican's own metadata step takes them: {key:
    value}, the Summary rendered as Pelican renders it, and sanitised."""
    values = {}
    for name, lines in meta.items():
        key = name.lower()
        spec = contract.FIELDS_BY_KEY.get(key)
        if (spec is None or source.kind not in spec.kinds or len(source.fields.get(key, [])) > 1
                or key in source.refused):
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
                report.error(source.shown, source.line_of(key), _e("in Summary: {refusal}", refusal=refusal.message))
            values[key] = rendered
        else:
            values[key] = value.strip()
    if str(source.values.get("status", "published")).lower() != "draft":
        for key, value in source.values.items():
            if contract.UNFINISHED in value:
                report.error(source.shown, source.line_of(key), _e(
                    "{name} still says {todo}: write it, or keep “Status: draft” until it is done.",
                    name=contract.FIELDS_BY_KEY[key].name, todo=contract.UNFINISHED))
    for spec in contract.FIELDS:
        if source.kind in spec.required and spec.key not in source.fields and spec.key not in source.lost:
            report.error(source.shown, 1, _e("{name} is missing. Add a line “{name}: …” ({help}) to the fields at "
                                             "the top of the file.", name=spec.name, help=spec.help))
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
