"""What rendered content may contain: an allow-list, applied by nh3.

Markdown lets an editor write raw HTML, and Python-Markdown renders it as
written: a ``<meta http-equiv="refresh">``, a ``<form>``, a tracking pixel
or an ``onclick`` would reach every visitor. Rather than list what is
dangerous (a list that is never complete), we say what the theme renders and
let nh3 (the Python binding of Rust's ammonia, which parses HTML as a
browser does) drop everything else. Its output is what gets written, so a
page is safe even if a check were bypassed.

What nh3 drops is also a mistake to report: ``sanitise()`` compares the
rendered HTML with nh3's output and returns one ``Refusal`` per thing that
was dropped, with a message for the editor and a snippet of the source to
find its line by.

The allow-list, and why:

* elements Markdown writes for text (paragraphs, ``##`` to ``######``
  headings, lists, emphasis, quotes, code, tables, footnotes, abbreviations,
  definition lists) and the admonition boxes (``!!! warning``/``note``/
  ``urgent``); no ``<h1>`` (the page's title is its one h1);
* links to ``http:``, ``https:``, ``mailto:``, ``tel:`` and to the site
  itself (a path, or a ``{filename}`` link Pelican resolves); images only
  from the site itself (no tracking pixel, no ``data:``);
* ``id`` only where Markdown puts it (headings, footnotes), ``class`` only
  with the values the theme styles, ``title``/``alt``/``start``, and
  ``aria-labelledby`` only as a footnote's marker has it (``sources.py``
  rewrites the markers after cleaning; what it writes passes again); no
  ``style`` (the Content-Security-Policy forbids inline styles) and no
  event handler of any kind.

An ``!!! urgent "When to get help now"`` box is a care card, and its title is
its heading for screen readers too: Markdown writes the title as a
``<p class="admonition-title">``, which ``sanitise()`` turns into a heading
one level below the section it is in (``<h2>`` before any ``##``), after
cleaning. An urgent box with no title of its own (Markdown would write the
English word “Urgent”) is refused: its heading is what it is for.
"""

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from .messages import Message, _e

HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
TEXT_ELEMENTS = {"p", "br", "hr", "strong", "em", "b", "i", "s", "del", "sub", "sup", "code", "pre",
                 "blockquote", "abbr", "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "div",
                 "table", "thead", "tbody", "tr", "th", "td", "caption"}
ALLOWED_ELEMENTS = HEADINGS | TEXT_ELEMENTS
# Elements whose content goes with them (their text is code or chrome, never
# something the visitor was meant to read).
DROPPED_WITH_CONTENT = {"script", "style", "template", "textarea", "title", "noscript", "iframe",
                        "object", "embed", "svg", "math", "select", "xmp", "noembed", "noframes"}
ATTRIBUTES = {
    **{heading: {"id"} for heading in HEADINGS},
    "a": {"href", "title", "aria-labelledby"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "li": {"id"},
    "sup": {"id"},
    "ol": {"start"},
}
# The classes the theme styles: admonitions (by kind) and footnotes. An
# urgent box's title is a heading (see urgent_cards), hence the headings'.
URGENT = "urgent"
ADMONITION_KINDS = {"warning", "note", URGENT}
CLASSES = {
    "div": {"admonition", "footnote"} | ADMONITION_KINDS,
    "p": {"admonition-title"},
    **{heading: {"admonition-title"} for heading in HEADINGS},
    "a": {"footnote-ref", "footnote-backref", "footnote-ref-adjacent"},
}
# A footnote's marker is named "Source 1" by the word the theme writes
# (its id) and its own number (the marker's id: see sources.py); nothing
# else may name a link, so no text can pose as another's label.
FOOTNOTE_MARKER_LABEL = re.compile(r"mc-word-(?:source|note) cite-[0-9]+(?:-[0-9]+)?")
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
# Pelican's own link syntax, resolved after reading: {filename}x.md, {static}…
PELICAN_LINK_PREFIXES = ("{filename}", "{static}", "{attach}", "{index}", "{category}", "{tag}", "{author}")

# A Summary is one or two sentences: text, emphasis and abbreviations only.
SUMMARY_ELEMENTS = {"p", "strong", "em", "b", "i", "abbr", "code"}

# Where Markdown, not raw HTML, made what is refused, the source holds no
# "<h1" or "style" to find its line by; these patterns find what made it: a
# `# heading` (or a `===` underline), a table's alignment row `|:--|--:|`.
ELEMENT_SOURCE = {"h1": re.compile(r"<h1\b|^[ \t>]*(?:[-*+][ \t]+|[0-9]+[.)][ \t]+)?#(?!#)|^[ \t>]*=+[ \t]*$", re.I)}
ATTRIBUTE_SOURCE = {"style": re.compile(r"\bstyle\s*=|^(?=[ \t>|:-]*$).*(?::-|-:)", re.I)}

# In clean HTML: a heading, or a box and the title Markdown writes first in it.
HEADING_OR_BOX = re.compile(
    r'<h(?P<level>[2-6])(?P<attributes>[^>]*)>'
    r'|<div class="(?P<kinds>[^"]*)">\s*(?:<(?P<tag>p|h[2-6]) class="admonition-title">(?P<title>.*?)</(?P=tag)>)?',
    re.S,
)
# The line of an urgent box without a title of its own: `!!! urgent`,
# `!!! urgent ""` (in a list or a quote too), or one written in HTML.
UNTITLED_URGENT_SOURCE = re.compile(
    r'^[ \t>]*(?:[-*+][ \t]+|[0-9]+[.)][ \t]+)?!!! ?(?:[\w-]+ +)*urgent(?: +[\w-]+)*(?: +"\s*(?:urgent)?\s*")? *$'
    r'|<div\b[^>]*\burgent\b', re.I)
UNTITLED_URGENT = _e("an “!!! urgent” box needs a title in the article's language, in quotes on its first line, "
                     "e.g. !!! urgent \"When to get help now\": the title is the box's heading (without one, "
                     "the box would say “Urgent”, in English).")


def is_site_address(url):
    """A path on this site (or a Pelican link to a file of it), not elsewhere."""
    if url.startswith(PELICAN_LINK_PREFIXES):
        return True
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith(("//", "\\")) and "\\" not in url


def link_allowed(url):
    """Where a link may lead: an allowed scheme, or a page of the site."""
    url = url.strip()
    if url.startswith(("//", "\\\\")):
        return False  # another site without saying how: write https://
    scheme = urlsplit(url).scheme.lower()
    return scheme in LINK_SCHEMES if scheme else is_site_address(url)


def keep_attribute(element, attribute, value):
    """nh3's attribute filter: decides what a URL attribute may hold."""
    if element == "a" and attribute == "href":
        return value if link_allowed(value) else None
    if element == "img" and attribute == "src":
        return value if is_site_address(value.strip()) else None
    if attribute == "aria-labelledby":
        return value if FOOTNOTE_MARKER_LABEL.fullmatch(value) else None
    return value


def cleaner(elements, attributes, classes):
    return nh3.Cleaner(
        tags=elements,
        clean_content_tags=DROPPED_WITH_CONTENT - elements,
        attributes=attributes,
        attribute_filter=keep_attribute,
        strip_comments=True,
        link_rel=None,
        url_schemes=LINK_SCHEMES,
        allowed_classes={tag: names for tag, names in classes.items() if tag in elements},
    )


BODY = cleaner(ALLOWED_ELEMENTS, ATTRIBUTES, CLASSES)
SUMMARY = cleaner(SUMMARY_ELEMENTS, {"abbr": {"title"}}, {})


@dataclass(frozen=True)
class Refusal:
    """One thing the sanitiser dropped: what to tell the editor, and a
    piece of source text, or a pattern, to find its line by (None: unknown)."""

    message: Message  # what to tell the editor (see messages)
    needle: "str | re.Pattern" = None


class Events(HTMLParser):
    """An HTML fragment as a flat list of (start|text, tag, attributes)."""

    def __init__(self, fragment):
        super().__init__(convert_charrefs=True)
        self.events = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs)))
        self.events.append(("end", tag, ()))

    def handle_endtag(self, tag):
        self.events.append(("end", tag, ()))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", None, self.events[-1][2] + data)
        else:
            self.events.append(("text", None, data))


def advice_for_element(tag, elements):
    if tag == "h1":
        return _e("Use ## for sections: the page shows the title as its only main heading.")
    if tag in ("script", "iframe", "object", "embed", "form", "input", "button", "meta",
               "base", "link", "style", "frame", "frameset", "svg", "math", "template"):
        return _e("Remove it: articles are plain Markdown, and the site runs and loads nothing that an article "
                  "brings.")
    if elements is SUMMARY_ELEMENTS:
        return _e("A Summary is plain text: write it without links, pictures or HTML.")
    return _e("Write it in plain Markdown instead (see “What the text may hold” in the editors' guide, "
              "docs/editors-guide.en.md).")


def expected_events(events, elements, attributes, classes):
    """What nh3 should leave of `events` under this allow-list, and why
    each thing it drops is dropped."""
    kept, refusals = [], []
    dropping, depth = None, 0  # inside an element dropped with its content
    for kind, tag, value in events:
        if dropping is not None:
            if tag == dropping:
                depth += 1 if kind == "start" else -1 if kind == "end" else 0
                if depth == 0:
                    dropping = None
            continue
        if kind != "start":
            kept.append((kind, tag, value))
            continue
        if tag not in elements:
            refusals.append(Refusal(_e("the text contains the element <{element}>, which is not allowed. {advice}",
                                       element=printable(tag), advice=advice_for_element(tag, elements)),
                                    ELEMENT_SOURCE.get(tag, f"<{tag}")))
            if tag in DROPPED_WITH_CONTENT:
                dropping, depth = tag, 1
            continue
        allowed = attributes.get(tag, set())
        kept_attributes = []
        for name, attribute_value in value:
            attribute_value = attribute_value or ""
            if name == "class" and tag in classes:
                names = attribute_value.split()
                refused = [n for n in names if n not in classes[tag]]
                for class_name in refused:
                    refusals.append(Refusal(class_message(tag, class_name), class_name))
                good = [n for n in names if n in classes[tag]]
                if good:
                    kept_attributes.append((name, " ".join(good)))
            elif name not in allowed:
                refusals.append(Refusal(attribute_message(tag, name), ATTRIBUTE_SOURCE.get(name, name)))
            elif name == "aria-labelledby" and keep_attribute(tag, name, attribute_value) is None:
                refusals.append(Refusal(attribute_message(tag, name), name))
            elif keep_attribute(tag, name, attribute_value) is None or (
                name in ("href", "src") and not url_scheme_allowed(attribute_value)
            ):
                refusals.append(Refusal(address_message(tag, attribute_value), attribute_value.strip()[:40] or name))
            else:
                kept_attributes.append((name, attribute_value))
        kept.append((kind, tag, tuple(sorted(kept_attributes))))
    return kept, refusals


def url_scheme_allowed(url):
    scheme = urlsplit(url.strip()).scheme.lower()
    return not scheme or scheme in LINK_SCHEMES


def printable(text):
    """`text` as it may appear in a one-line message: what is not printable
    (a line break, a tab, a control or bidirectional character) written as
    its escape, e.g. \\n or \\u202e."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


def class_message(tag, name):
    tag, name = printable(tag), printable(name)
    if tag == "div" and name not in CLASSES["div"]:
        kinds = ", ".join(f"!!! {kind}" for kind in sorted(ADMONITION_KINDS))
        return _e("a box of the kind “{name}” is not one the site has. Use one of: {kinds}.", name=name, kinds=kinds)
    return _e("the class “{name}” on <{element}> is not one the site styles. Remove it.", name=name, element=tag)


def attribute_message(tag, name):
    tag, name = printable(tag), printable(name)
    if name.startswith("on"):
        return _e("the text contains an {name}= attribute on <{element}>, which could run code in a visitor's "
                  "browser. Remove it: articles are plain Markdown.", name=name, element=tag)
    if name == "style":
        return _e("a style= attribute on <{element}> is not allowed (the site's look comes from its theme). "
                  "Remove it.", element=tag)
    return _e("the attribute {name}= on <{element}> is not allowed. Remove it.", name=name, element=tag)


def address_message(tag, url):
    shown = printable(url.strip()[:60])
    if tag == "img":
        return _e("the image “{address}” does not come from this site. Put the picture's file in the site and "
                  "link to it with a path, e.g. /images/name.png: pages load nothing from elsewhere.", address=shown)
    return _e("the link “{address}” is not allowed. Links may lead to https:// or http:// addresses, mailto: and "
              "tel: addresses, or pages of this site (e.g. /lumbar-pain/).", address=shown)


def comparable(events):
    """Events as nh3's output and its input can both be compared on."""
    return [
        (kind, tag, tuple(sorted((name, value or "") for name, value in value)) if kind == "start" else value)
        for kind, tag, value in events
        if kind != "end"  # a parser may close elements elsewhere: same content
        and not (kind == "start" and tag in ("tbody", "thead"))  # or add these
        and not (kind == "text" and not value.strip())
    ]


def urgent_cards(clean):
    """(clean HTML with each urgent box's title as a heading, [Refusal] for
    each urgent box without a title of its own). The heading is one level
    below the last section heading before the box (h2 before any), at most
    h6; a title that already is a heading stays as it is."""
    parts, refusals, done, section = [], [], 0, 1
    for found in HEADING_OR_BOX.finditer(clean):
        if found["level"]:
            if "admonition-title" not in found["attributes"]:
                section = int(found["level"])
            continue
        kinds = found["kinds"].split()
        if URGENT not in kinds or "admonition" not in kinds:
            continue
        title = found["title"]
        default = next((kind for kind in kinds if kind != "admonition"), URGENT)
        if title is None or html.unescape(re.sub(r"<[^>]*>", "", title)).strip().lower() in ("", default):
            refusals.append(Refusal(UNTITLED_URGENT, UNTITLED_URGENT_SOURCE))
        elif found["tag"] == "p":
            level = min(section + 1, 6)
            parts += [clean[done:found.start("tag") - 1], f'<h{level} class="admonition-title">{title}</h{level}>']
            done = found.end()
    return "".join(parts) + clean[done:], refusals


def sanitise(fragment, summary=False):
    """(clean HTML, [Refusal]) for a rendered Markdown fragment."""
    if summary:
        elements, attributes, classes, policy = SUMMARY_ELEMENTS, {"abbr": {"title"}}, {}, SUMMARY
    else:
        elements, attributes, classes, policy = ALLOWED_ELEMENTS, ATTRIBUTES, CLASSES, BODY
    cleaned = policy.clean(fragment)
    clean, refusals = (cleaned, []) if summary else urgent_cards(cleaned)
    if cleaned == fragment:
        return clean, refusals
    expected, dropped = expected_events(Events(fragment).events, elements, attributes, classes)
    if comparable(expected) != comparable(Events(cleaned).events) and not dropped:
        # nh3 read the HTML differently from what our description of it
        # expected (broken or deliberately confusing markup): still refuse.
        dropped.append(Refusal(_e(
            "the text contains HTML that the site cannot show safely as written (broken or "
            "unusual markup). Write it in plain Markdown instead."), "<"))
    refusals = dropped + refusals
    unique = list(dict.fromkeys(refusals))
    return clean, unique


def find_line(lines, needle, first_line=1):
    """The number of the first line holding `needle`, a text or a pattern
    (as typed, or with its character references decoded), counting from
    `first_line`; else None."""
    if not needle:
        return None
    if isinstance(needle, re.Pattern):
        def holds(line):
            return needle.search(line) or needle.search(html.unescape(line))
    else:
        wanted = needle.lower()

        def holds(line):
            return wanted in line.lower() or wanted in html.unescape(line).lower()
    for offset, line in enumerate(lines):
        if holds(line):
            return first_line + offset
    return None
