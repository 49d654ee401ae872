"""Phrases that may promise a health result: warnings, never rewrites.

Ukraine's advertising law (Art. 21) forbids medical advertising to promise
an effect, a cure, a time to the effect, or that a doctor is not needed.
An article is not an advertisement, but it is the clinic's, and a reader
in pain takes a promise at its word. So each such phrase is a warning with
its ``path:line``, for the reviewer to look at; the clinic's text is never
changed by the build.

The phrase lists are data, one per language, beside this file:
``claims/<lang>.txt``, one regular expression per line (case-blind, whole
words), with ``#`` comments naming the kind of promise. Ukrainian and
Russian are inflected: patterns end in ``\\w*`` where a word changes its
ending (``сеанс\\w*`` finds сеансу, сеансів…).

A reviewer who has checked a phrase and keeps it writes it in the article's
``Claims_checked`` field (several separated by ``;``): it stops warning, and
the content report shows it as acknowledged.
"""

import functools
import re
from pathlib import Path

PHRASE_LISTS = Path(__file__).parent / "claims"
ACKNOWLEDGED_SEPARATOR = ";"


@functools.cache
def patterns(lang):
    """The language's list as one compiled pattern (None: no list)."""
    path = PHRASE_LISTS / f"{lang}.txt"
    if not path.is_file():
        return None
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    alternatives = [f"(?:{line})" for line in lines if line and not line.startswith("#")]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def acknowledged_phrases(value):
    return [phrase.strip() for phrase in (value or "").split(ACKNOWLEDGED_SEPARATOR) if phrase.strip()]


def find_claims(text, lang, acknowledged=()):
    """[(phrase as written, acknowledged or not)] in `text`, in order."""
    pattern = patterns(lang)
    if pattern is None:
        return []
    known = [phrase.lower() for phrase in acknowledged]
    found = []
    for match in pattern.finditer(text):
        phrase = match.group(0)
        sentence = sentence_around(text, match.start(), match.end()).lower()
        found.append((phrase, any(k in sentence or phrase.lower() in k for k in known)))
    return found


def sentence_around(text, start, end):
    """The sentence holding text[start:end] (for matching acknowledgements)."""
    before = max(text.rfind(mark, 0, start) for mark in ".!?…\n")
    after = [position for position in (text.find(mark, end) for mark in ".!?…\n") if position != -1]
    return text[before + 1: min(after) + 1 if after else len(text)]
