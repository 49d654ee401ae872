"""Sources: what an article relies on, cited as Markdown footnotes.

Editors cite as GitHub's editor renders it: a marker ``[^1]`` where a
statement relies on a source, and its definition anywhere in the text::

    [^1]: Low back pain and sciatica in over 16s. NICE, 2020. https://www.nice.org.uk/guidance/ng59

Python-Markdown's ``footnotes`` (part of ``extra``) renders them as one
list at the end of the text. We turn that list into data, so the theme
writes it in the page's language (``partials/footnotes.html``):

* a footnote whose definition holds a link is a **source**: listed under
  "Sources", its link ``https`` only (anything else is an error at the
  definition's line, by allow-list: a source is read by patients, and an
  ``http`` page can be changed on its way to them); its definition is read
  into title, publisher, year and address for the page's JSON-LD
  ``citation`` (a definition that cannot be read so is a warning with the
  expected form: an ordinary article must never stop the build);
* a footnote without a link stays an ordinary footnote: listed under
  "Notes", never as a source.

Both keep the one numbering Markdown gives them (the number in the text is
the number in the list); each marker's accessible name is "Source 1" or
"Note 2" (the word comes from the theme, through ``aria-labelledby``), and
each list item links back to every place it is cited.

Two warnings help reviewers: a reviewed article with no source
(``no-source``), and a phrase acknowledged in ``Claims_checked`` whose
sentence carries no source marker (``claim-without-source``).
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import claims
from .messages import _e
from .sanitise import link_allowed, printable

# --- Definitions, read from the Markdown source (for their lines) -----------

DEFINITION = re.compile(r"^ {0,3}\[\^(?P<label>[^\]]+)\]:[ \t]*(?P<text>.*)$")
INDENTED = re.compile(r"^(?: {4}|\t)")
FENCE = re.compile(r"^ {0,3}(?:```|~~~)")

# Every way a definition can hold a link, as Python-Markdown would render
# it or an editor would mean it: [text](address), <address>, an HTML href,
# or an address written out (GitHub links those; we link them too). A bare
# address is any scheme://…, or a scheme that needs no slashes and never
# leads to a source (javascript:, data:, mailto:…): all are refused but https.
LINK = re.compile(
    r"\]\(\s*<?(?P<markdown>[^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)"
    r"|<(?P<angle>[a-z][a-z0-9+.-]*:[^>\s]*)>"
    r"|\bhref\s*=\s*[\"']?(?P<href>[^\"'\s>]+)"
    r"|(?P<bare>\b[a-z][a-z0-9+.-]*://[^\s<>]+|\b(?:javascript|data|vbscript|file|mailto|tel|ftp):[^\s<>]+)",
    re.I,
)
TRAILING_PUNCTUATION = ".,;:!?)]"
SOURCE_SCHEMES = {"https"}

# `Title. Publisher, year.` once the address is taken out: the title is
# everything before the publisher (it may hold full stops of its own), the
# publisher has none; the year may follow a comma or a full stop, or be in
# brackets.
SOURCE_PARTS = re.compile(
    r"^(?P<title>.+?[^.\s])\.\s+(?P<publisher>[^.]*[^.\s,])[,.]?\s+\(?(?P<year>(?:1[5-9]|20)\d\d)\)?$"
)
EMPHASIS = re.compile(r"(\*{1,2}|_{1,2})(?=\S)(.+?)(?<=\S)\1")


@dataclass(frozen=True)
class Footnote:
    """One footnote definition as written: its label, line and text, and,
    for a source, its address and its parts (None where not read)."""

    label: str
    line: int
    text: str
    url: str = None  # the first link's address; None: an ordinary footnote
    title: str = None
    publisher: str = None
    year: str = None

    @property
    def is_source(self):
        return self.url is not None


def definitions(lines, first_line=1):
    """[(label, line, text)] of the footnote definitions in `lines` (the
    text of a file, from `first_line`), as Python-Markdown reads them: the
    definition's line, the lines after it up to a blank line, and the
    indented blocks after that; never inside a fenced code block."""
    found, fenced, index = [], False, 0
    while index < len(lines):
        line = lines[index]
        if FENCE.match(line):
            fenced = not fenced
        match = None if fenced else DEFINITION.match(line)
        start, index = index, index + 1
        if not match:
            continue
        parts = [match["text"]]
        while index < len(lines) and lines[index].strip() and not DEFINITION.match(lines[index]):
            parts.append(lines[index].strip())
            index += 1
        while True:  # indented blocks after blank lines belong to it too
            following = index
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following == index or following >= len(lines) or not INDENTED.match(lines[following]):
                break
            index = following
            while index < len(lines) and lines[index].strip() and INDENTED.match(lines[index]):
                parts.append(lines[index].strip())
                index += 1
        found.append((match["label"], first_line + start, " ".join(part for part in parts if part).strip()))
    return found


def links_in(text):
    """[(address, written out)] of what a definition's text links to, in
    order; `written out`: an address in the text, not a link Markdown makes."""
    addresses = []
    for match in LINK.finditer(text):
        address = next(value for value in match.groups() if value is not None)
        if match["bare"]:
            address = address.rstrip(TRAILING_PUNCTUATION)
        addresses.append((html.unescape(address), match["bare"] is not None))
    return addresses


def refused_here(address, written_out):
    """Whether a source's address is ours to refuse: not https, and not a
    link the HTML allow-list refuses already (it says so at the same line;
    one mistake, one message)."""
    return not is_https(address) and (written_out or link_allowed(address))


def is_https(address):
    parts = urlsplit(address.strip())
    return parts.scheme.lower() in SOURCE_SCHEMES and bool(parts.netloc)


def words_of(text):
    """A definition's words: without its addresses and emphasis marks (a
    title written as a link, [Title](address), keeps its words)."""
    words = LINK.sub(lambda match: "" if not match["markdown"] else match.group(0), text)
    words = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", words)
    words = EMPHASIS.sub(r"\2", html.unescape(words))
    return " ".join(words.split()).strip().rstrip(".,; ").strip()


def source_parts(text):
    """(title, publisher, year) of a definition's text `Title. Publisher,
    year. https://…`, or None when it cannot be read so."""
    found = SOURCE_PARTS.match(words_of(text))
    if not found:
        return None
    return found["title"].strip(), found["publisher"].strip(), found["year"]


def read_footnotes(source, report):
    """{label: Footnote} of a content file (a SourceFile), reporting a
    source whose link is not https (an error) or whose text cannot be read
    into its parts (a warning), each at its definition's line."""
    body = source.lines[source.body_start - 1:]
    footnotes = {}
    for label, line, text in definitions(body, source.body_start):
        addresses = links_in(text)
        if not addresses:
            footnotes.setdefault(label, Footnote(label, line, text))
            continue
        refused = [address for address, written_out in addresses if refused_here(address, written_out)]
        refused_anyway = any(not is_https(address) for address, _ in addresses)
        for address in refused:
            report.error(source.shown, line, _e(
                "the source's link “{address}” is not an https:// address. A source must be a page anyone can "
                "open safely: write its https:// address (open the page and copy it from the address bar), or "
                "leave the link out and it is an ordinary footnote.", address=printable(address[:60])))
        if refused_anyway:
            continue
        parts = source_parts(text)
        if parts is None:
            report.warn(source.shown, line, _e(
                "the source “{text}” cannot be read as “Title. Publisher, year. https://…”. Write it in that form "
                "(e.g. Low back pain and sciatica in over 16s. NICE, 2020. https://www.nice.org.uk/guidance/ng59), "
                "so that search engines can name it.", text=printable(shorten(text))), "source-form")
            parts = (None, None, None)
        footnotes.setdefault(label, Footnote(label, line, text, addresses[0][0], *parts))
    return footnotes


def shorten(text, limit=60):
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# --- The rendered list, taken out of the text --------------------------------

# What Python-Markdown writes, as the sanitiser leaves it: markers in the
# text, and the list at its very end.
MARKER = re.compile(r'<sup id="fnref(?P<repeat>\d*):(?P<label>[^"]*)">'
                    r'<a class="footnote-ref" href="#fn:(?P=label)">(?P<number>\d+)</a></sup>')
FOOTNOTE_LIST = re.compile(r'\s*<div class="footnote">\s*<hr>\s*<ol>(?P<items>.*)</ol>\s*</div>\s*$', re.S)
ITEM = re.compile(r'<li id="fn:(?P<label>[^"]*)">\s*(?P<body>.*?)\s*</li>\s*(?=<li id="fn:|$)', re.S)
BACK_LINK = re.compile(r'(?:&nbsp;|\xa0)?<a class="footnote-backref" href="#fnref(?P<repeat>\d*):[^"]*"[^>]*>[^<]*</a>')
# An address written out in a source, to link (text outside any element).
ADDRESS_TEXT = re.compile(r"https://[^\s<>\"]+")
SOURCE, NOTE = "source", "note"
ADJACENT_MARKER = re.compile(r'(</sup><sup id="cite-[0-9-]+"><a )class="footnote-ref"')


@dataclass
class Cited:
    """One footnote as the page lists it."""

    number: int
    kind: str  # SOURCE or NOTE
    html: str  # its text, sanitised, without Markdown's back-links
    back_links: list = field(default_factory=list)  # the ids of its markers in the text
    footnote: Footnote = None

    @property
    def id(self):
        return f"{self.kind}-{self.number}"


def marker_id(number, repeat):
    return f"cite-{number}" + (f"-{repeat}" if repeat else "")


def take_footnotes(content, footnotes):
    """(the text without Markdown's footnote list and with our markers,
    [Cited]) for a sanitised text; `footnotes` as ``read_footnotes`` gives."""
    found = FOOTNOTE_LIST.search(content)
    if not found:
        return content, []
    listed = []
    for number, item in enumerate(ITEM.finditer(found["items"]), start=1):
        footnote = footnotes.get(html.unescape(item["label"]))
        kind = SOURCE if footnote is not None and footnote.is_source else NOTE
        text = BACK_LINK.sub("", item["body"])
        if kind == SOURCE:
            text = link_addresses(text)
        listed.append(Cited(number, kind, text, footnote=footnote))
    by_label = {html.unescape(item["label"]): cited for item, cited in zip(ITEM.finditer(found["items"]), listed)}

    def marker(match):
        cited = by_label.get(html.unescape(match["label"]))
        if cited is None:
            return match.group(0)
        own = marker_id(cited.number, match["repeat"])
        cited.back_links.append(own)
        # The accessible name is the kind's word (in the sources' list, in
        # the page's language) and the number: "Source 1".
        # (within the HTML allow-list: sanitise.FOOTNOTE_MARKER_LABEL)
        return (f'<sup id="{own}"><a class="footnote-ref" href="#{cited.id}" '
                f'aria-labelledby="mc-word-{cited.kind} {own}">{cited.number}</a></sup>')

    text = MARKER.sub(marker, content[:found.start()])
    # A marker right after another ([^1][^2]) keeps its box apart from the
    # first's (CSS cannot tell: its sibling selectors skip the text between).
    text = ADJACENT_MARKER.sub(r'\g<1>class="footnote-ref footnote-ref-adjacent"', text)
    return text, listed


def link_addresses(fragment):
    """`fragment` with every https address written out as text made a link."""
    parts = re.split(r"(<a\b.*?</a>|<[^>]+>)", fragment, flags=re.S)
    for index in range(0, len(parts), 2):
        parts[index] = ADDRESS_TEXT.sub(linked_address, parts[index])
    return "".join(parts)


def linked_address(match):
    address = match.group(0)
    kept = address.rstrip(TRAILING_PUNCTUATION)
    return f'<a href="{kept}">{kept}</a>{address[len(kept):]}'


# --- Warnings for reviewers --------------------------------------------------

# In a block's text, where a source's marker was.
SOURCE_SIGN = "\ue000"
SOURCE_MARKER = re.compile(r'<sup id="cite-[0-9-]+"><a [^>]*href="#source-\d+"[^>]*>\d+</a></sup>')
BLOCK_TEXT = re.compile(r"<(p|li|td|th|dd|h[2-6])\b[^>]*>(.*?)</\1>", re.S)
TAG = re.compile(r"<[^>]+>")
SENTENCE_ENDS = ".!?…"


def warn_unsourced(source, content, listed, report):
    """The two warnings: a reviewed article without a source, and an
    acknowledged claim whose sentence has no source's marker. `content`
    is the text with our markers (see ``take_footnotes``)."""
    values = source.values
    if values.get("reviewer") and values.get("reviewed") and not any(c.kind == SOURCE for c in listed):
        report.warn(source.shown, source.line_of("reviewed"), _e(
            "the article is reviewed but cites no source. Add a footnote where a statement relies on one: [^1] in "
            "the sentence, and [^1]: Title. Publisher, year. https://… at the end of the text."), "no-source")
    acknowledged = claims.acknowledged_phrases(values.get("claims_checked"))
    pattern = claims.patterns(source.path_lang)
    if not acknowledged or pattern is None:
        return
    for _, block in BLOCK_TEXT.findall(content):
        text = " ".join(html.unescape(TAG.sub(" ", SOURCE_MARKER.sub(SOURCE_SIGN, block))).split())
        for match in pattern.finditer(text):
            phrase = match.group(0)
            sentence = sentence_with_markers(text, match.start(), match.end())
            known = any(k.lower() in sentence.lower() or phrase.lower() in k.lower() for k in acknowledged)
            if known and SOURCE_SIGN not in sentence:
                report.warn(source.shown, source.body_line(phrase), _e(
                    "“{phrase}” is acknowledged in Claims_checked, but its sentence cites no source. Put a "
                    "source's marker ([^1]) at the end of the sentence, with the source it relies on.",
                    phrase=printable(phrase)), "claim-without-source")


def sentence_with_markers(text, start, end):
    """The sentence around text[start:end], with the markers right after
    its end (a marker is written after the full stop as often as before);
    not those at its start, which are the sentence's before."""
    ends = [position for position in (text.find(mark, end) for mark in SENTENCE_ENDS) if position != -1]
    stop = min(ends) + 1 if ends else len(text)
    following = re.match(rf"[\s{SOURCE_SIGN}]*", text[stop:]).group(0)
    return claims.sentence_around(text, start, end).lstrip(f" {SOURCE_SIGN}") + following
