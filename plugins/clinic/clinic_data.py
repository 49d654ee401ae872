"""The clinic's facts: content/clinic.yaml, and the contract it is checked by.

What editors change about the clinic (its name, phone, opening hours,
locations, and the topics articles are filed under) is data in one file,
``content/clinic.yaml``, not Python: a missing comma in pelicanconf.py was a
55-line traceback. pelicanconf.py reads the file (``read_facts``) into the
settings every template and plugin reads (``CLINIC_NAME``, ``PHONE``,
``OPENING_HOURS``, ``LOCATIONS``, ``TOPICS``), as they were when they were
typed there. The file is checked like content, by the contract below
(``FACTS``): every problem as ``content/clinic.yaml:LINE: what is wrong and
how to fix it``, all of them at once, never a traceback.

How it is read: YAML 1.2 with ruamel.yaml, which gives each key's line, and
with no value guessed to be anything but text (``TextOnlyResolver``): every
fact is text, and ``no`` (Norway), ``on``, ``09:00`` or ``+380…`` stay the
text they look like, whoever wrote the file (an editor by hand, or the web
editor's YAML 1.2 writer, which leaves such values unquoted).

Reading never raises: what is wrong is left out of the values (the build
stops before writing anyway, every problem named), so pelicanconf.py, and
every task that reads the settings, always loads. The plugin
(``apply``, from checks.before_reading) reports the problems of the file
the build reads: the content folder's own (``PATH``), else the one
pelicanconf.py read (a test's fixture site, the bench's synthetic library).

The web editor (Sveltia CMS) offers the file as a form:
``editor_collection(settings)`` is that form, written from the contract.
Topics are a list of objects (``slug``, ``name`` per language) rather than
a mapping keyed by slug, because Sveltia's list and object widgets can
edit the one and not the other; ``settings_of`` turns them into ``TOPICS``
as the rest of the code knows it ({slug: {lang: name}}).

Plain Python and ruamel.yaml, no Pelican: pelicanconf.py loads this module
from its file (with ``contract`` and ``messages`` beside it).
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import contract
from .messages import Message, _e, _en

# The file, in the content folder (PATH); as messages name it.
FILE_NAME = "clinic.yaml"

# schema.org's day codes, Monday first (structured_data.DAYS names them for
# schema.org, languages.WEEKDAY_CODES in each language's words).
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
# A time of day, 24-hour, two digits each: 09:00, 20:30.
TIME = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")
# E.164: a plus, then at most 15 digits, the first not 0.
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# How the clinic writes the phone: digits, spaces and ( ) + - . only.
PHONE_DISPLAY = re.compile(r"[0-9 ()+.\-]+")
# A country, as schema.org's addressCountry takes it: ISO 3166-1 alpha-2.
COUNTRY = re.compile(r"[A-Z]{2}")
# A link to a map: only these schemes (a `javascript:` or `data:` link in a
# page is a script; http is readable and changeable on the way).
MAP_URL_SCHEMES = ("https",)
MAP_URL_MAX_LENGTH = 2000
# A host name in a map link: DNS labels, at least two.
HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]")
# What a map link may hold after its host: printable ASCII but quotes,
# angle brackets, backslash and spaces (nothing that could end an attribute
# or hide another address; the template escapes it too).
URL_REST = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]*")


# --- The contract ------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One line of text.

    help        what to write, in messages and the web editor's hints
    max_length  the longest value, in characters
    pattern     the whole value must match it (None: any text)
    what        what a value that does not match is not, in messages
    choices     the values allowed (a pattern's alternative)
    """

    help: Message
    max_length: int
    pattern: re.Pattern = None
    what: Message = None
    choices: tuple = ()


@dataclass(frozen=True)
class PerLanguage:
    """The same text in every language of the site (LANGUAGES): {lang: text}."""

    text: Text


@dataclass(frozen=True)
class Group:
    """Named values, each on its own indented line: {key: value}.

    agree   what its values must agree on: a function of (its valid values,
            its place) that returns (the key to name, the Message) of a
            disagreement, or None
    """

    keys: tuple  # of Key
    agree: object = None


@dataclass(frozen=True)
class ListOf:
    """A list, one item per "- " line; `unique`: the item's key (or, for a
    list of texts, the text itself: "") no two items may share (two topics
    of one address, two locations of one id: one would hide the other)."""

    item: object
    min_items: int = 0
    unique: str = None
    unique_per_language: str = None  # the item's key whose text in each language no two items may share


@dataclass(frozen=True)
class Key:
    name: str  # as written in the file
    label: Message  # the web editor's label
    value: object  # Text, PerLanguage, Group or ListOf
    required: bool = True


def closes_after_opening(hours, path):
    if "opens" in hours and "closes" in hours and hours["closes"] <= hours["opens"]:
        return "closes", _e("{key}: it closes at {closes}, not after it opens at {opens}. Check the two times.",
                            key=shown_key(path), closes=hours["closes"], opens=hours["opens"])
    return None


def one_number(phone, path):
    if "tel" in phone and "display" in phone and not same_number(phone["tel"], phone["display"]):
        return "display", _e("{key}: {display} and {tel} are different numbers. Write the same number in both.",
                             key=shown_key(path), display=phone["display"], tel=phone["tel"])
    return None


CLINIC_NAME = Key("name", _e("The clinic's name"), PerLanguage(Text(
    _e("the clinic's name as visitors read it, in this language"), 80)))
PHONE = Key("phone", _e("Phone"), Group((
    Key("tel", _e("Number to dial"), Text(
        _e("the number phones dial, in international form: a plus, the country code and the number, no spaces, "
           "e.g. +380970552200"), 16, E164, _e("a number in international form"))),
    Key("display", _e("Number as written"), Text(
        _e("the same number as the clinic writes it, e.g. (097) 055-22-00"), 30, PHONE_DISPLAY,
        _e("a phone number (digits, spaces and ( ) + - . only)"))),
), agree=one_number))
OPENING_HOURS = Key("opening_hours", _e("Opening hours"), ListOf(Group((
    Key("days", _e("Days"), ListOf(Text(_e("a day: one of {days}", days=", ".join(DAYS)), 2, choices=DAYS),
                                   min_items=1, unique="")),
    Key("opens", _e("Opens at"), Text(_e("the time it opens, as hours:minutes, e.g. 09:00"), 5, TIME,
                                      _e("a time as hours:minutes (00:00 to 23:59)"))),
    Key("closes", _e("Closes at"), Text(_e("the time it closes, as hours:minutes, e.g. 20:00"), 5, TIME,
                                        _e("a time as hours:minutes (00:00 to 23:59)"))),
), agree=closes_after_opening)), required=False)
LOCATIONS = Key("locations", _e("Locations"), ListOf(Group((
    Key("id", _e("Short name"), Text(
        _e("a short name for the location, small Latin letters, digits and hyphens, e.g. uzhvii; it names the "
           "location in the pages' code, so keep it once chosen"), 40, contract.SLUG,
        _e("a short name (small Latin letters, digits and single hyphens)"))),
    Key("street", _e("Street address"), PerLanguage(Text(
        _e("the street and building, in this language, e.g. вул. Наталії Ужвій, 12"), 100))),
    Key("city", _e("City"), PerLanguage(Text(_e("the city, in this language, e.g. Київ"), 60))),
    Key("country", _e("Country"), Text(_e("the country's two-letter code, e.g. UA"), 2, COUNTRY,
                                       _e("a two-letter country code in capitals"))),
    Key("map_url", _e("Map link"), Text(
        _e("the address of the location on a map, starting with https://, e.g. "
           "https://www.google.com/maps/search/?api=1&query=Natalii+Uzhvii+St+12+Kyiv"), MAP_URL_MAX_LENGTH)),
)), min_items=1, unique="id"))
TOPICS = Key("topics", _e("Topics"), ListOf(Group((
    Key("slug", _e("Address"), Text(
        _e("the topic's address, small Latin letters, digits and hyphens, e.g. back-pain (category/back-pain/)"),
        contract.SLUG_MAX_LENGTH, contract.SLUG, _e("an address (small Latin letters, digits and single hyphens)"))),
    Key("name", _e("Name"), PerLanguage(Text(
        _e("the topic's name in this language, as articles write it in Category"),
        contract.FIELDS_BY_KEY["category"].max_length))),
)), min_items=1, unique="slug", unique_per_language="name"))  # one name, one topic: Category says which
# The file: its keys, in the order the file and the form have them.
FACTS = Group((CLINIC_NAME, PHONE, OPENING_HOURS, LOCATIONS, TOPICS))


# --- Reading -------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int
    message: Message


# Left out of the values: a value with a problem.
WRONG = object()


def text_only_yaml():
    """ruamel.yaml's round-trip loader (each key's line), YAML 1.2, with no
    implicit types: every scalar is text."""
    from ruamel.yaml import YAML
    from ruamel.yaml.resolver import VersionedResolver

    class TextOnlyResolver(VersionedResolver):
        @property
        def versioned_resolver(self):
            return {}  # no pattern makes a plain scalar a number, a date, a boolean or null

    yaml = YAML(typ="rt")
    yaml.Resolver = TextOnlyResolver
    yaml.allow_duplicate_keys = False
    return yaml


def read_facts(path, languages):
    """The facts in the file at `path`, for the site's `languages`: (facts
    as the file holds them, with every wrong value left out, [Problem])."""
    problems = []
    if Path(path).is_symlink():  # it could be any file of the machine: never read
        return {}, [Problem(1, contract.LINK_REFUSED)]
    try:
        text = Path(path).read_bytes().decode("utf-8").removeprefix("\ufeff")
    except FileNotFoundError:
        return {}, [Problem(1, _e("this file is missing: it holds the clinic's facts (name, phone, locations, "
                                  "topics) that every page shows. Restore it from git (git checkout -- "
                                  "content/clinic.yaml)."))]
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        return {}, [Problem(line, _e("this line is not UTF-8 text. Save the file as UTF-8."))]
    except OSError as error:
        return {}, [Problem(1, _e("this file cannot be opened ({error}).", error=str(error)))]
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        document = text_only_yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        said = " ".join(str(error.problem or error.context or "").split())
        return {}, [Problem((mark.line + 1) if mark else 1, _e(
            "this line cannot be read as YAML ({problem}). Check it and the line above: two spaces of indent per "
            "level (no tabs), a colon and a space after each name, “- ” before each item of a list, and quotes "
            "around a text that holds “: ” or starts with a quote.", problem=said))]
    except (YAMLError, RecursionError, ValueError) as error:  # ruamel's errors without a place
        return {}, [Problem(1, _e("this file cannot be read as YAML ({problem}).", problem=" ".join(str(error).split())))]
    facts = check(document, FACTS, (), 1, languages, problems)
    return ({} if facts is WRONG else facts), sorted(problems, key=lambda problem: problem.line)


def shown_key(path):
    """A value's place, as messages name it: locations › 2 › street › en."""
    return " › ".join(str(part) for part in path)


def line_of_item(node, index, fallback):
    try:
        return node.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return fallback


def line_of_value(node, key, fallback):
    try:
        return node.lc.value(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return fallback


def check(node, spec, path, line, languages, problems):
    """`node` checked against `spec`: its value (wrong parts left out), or
    WRONG after adding what is wrong to `problems`."""
    if isinstance(spec, Text):
        return check_text(node, spec, path, line, problems)
    if isinstance(spec, PerLanguage):
        spec = Group(tuple(Key(lang, languages[lang]["name"], spec.text) for lang in languages))
    if isinstance(spec, Group):
        return check_group(node, spec, path, line, languages, problems)
    return check_list(node, spec, path, line, languages, problems)


def check_group(node, spec, path, line, languages, problems):
    if not isinstance(node, dict):
        problems.append(Problem(line, _e("{key} must be named values, each on its own line, indented under it: "
                                         "{names}.", key=shown_key(path) or FILE_NAME,
                                         names=", ".join(key.name for key in spec.keys))))
        return WRONG
    keys = {key.name: key for key in spec.keys}
    values = {}
    for name in node:
        key_line = line_of_value(node, name, line)
        if name not in keys:
            problems.append(Problem(key_line, _e("{key} is not a name used here. Use one of: {names} (check its "
                                                 "spelling and its indent).", key=shown_key((*path, str(name))),
                                                 names=", ".join(keys))))
            continue
        value = check(node[name], keys[name].value, (*path, name), key_line, languages, problems)
        if value is not WRONG:
            values[name] = value
    for key in spec.keys:
        if key.required and key.name not in node:
            problems.append(Problem(line, _e("{key} is missing. Add “{name}:” here, with {help}.",
                                             key=shown_key((*path, key.name)), name=key.name, help=help_of(key.value))))
    disagreement = spec.agree(values, path) if spec.agree else None
    if disagreement is not None:
        blamed, message = disagreement
        problems.append(Problem(line_of_value(node, blamed, line), message))
        return WRONG
    return values


def help_of(spec):
    """What to write for a value of `spec`, for a message."""
    if isinstance(spec, Text):
        return spec.help
    if isinstance(spec, PerLanguage):
        return _e("{help}, in every language of the site", help=spec.text.help)
    if isinstance(spec, ListOf):
        return _e("a list, one “- ” line per item")
    return _e("its names, each on a line of its own under it: {names}", names=", ".join(key.name for key in spec.keys))


def check_list(node, spec, path, line, languages, problems):
    if node == "" and spec.min_items == 0:
        return []  # "opening_hours:" with nothing after it: none yet
    if not isinstance(node, list):
        problems.append(Problem(line, _e("{key} must be a list, one item per line starting with “- ”, indented "
                                         "under it.", key=shown_key(path))))
        return WRONG
    if len(node) < spec.min_items:
        problems.append(Problem(line, _en("{key} needs at least {count} item. Add one: {help}.",
                                          "{key} needs at least {count} items. Add them: {help}.",
                                          key=shown_key(path), count=spec.min_items, help=help_of(spec.item))))
    values, seen = [], {}
    for index, item in enumerate(node):
        item_line = line_of_item(node, index, line)
        value = check(item, spec.item, (*path, index + 1), item_line, languages, problems)
        if value is WRONG:
            continue
        if spec.unique is not None:
            unique = value if spec.unique == "" else value.get(spec.unique)
            if unique is None:
                continue  # no name of its own: said above
            if unique in seen:
                problems.append(Problem(item_line, _e("{key}: “{value}” is here twice (also at line {line}). Each "
                                                      "must be different: remove or change one.",
                                                      key=shown_key(path), value=unique, line=seen[unique])))
                continue
            seen[unique] = item_line
        if spec.unique_per_language is not None:
            for lang, name in value.get(spec.unique_per_language, {}).items():
                if (lang, name) in seen:
                    problems.append(Problem(item_line, _e(
                        "{key}: “{value}” is here twice (also at line {line}). Each must be different: remove or "
                        "change one.", key=shown_key((*path, index + 1, spec.unique_per_language, lang)),
                        value=name, line=seen[lang, name])))
                seen[lang, name] = item_line
        values.append(value)
    return values


def check_text(node, spec, path, line, problems):
    key = shown_key(path)
    if isinstance(node, (dict, list)):
        problems.append(Problem(line, _e("{key} must be one line of text: {help}.", key=key, help=spec.help)))
        return WRONG
    if not isinstance(node, str):  # an explicit tag (!!int 5, !custom x): not text
        problems.append(Problem(line, _e("{key} must be text: {help}. Remove the “!…” before it.", key=key,
                                         help=spec.help)))
        return WRONG
    value = node.strip()
    if not value:
        problems.append(Problem(line, _e("{key} is empty. Write {help}.", key=key, help=spec.help)))
        return WRONG
    refused = next((char for char in value if not contract.field_may_hold(char)), None)
    if refused is not None:
        problems.append(Problem(line, _e("{key} holds {character}, a character that pages cannot show (a line "
                                         "break, a control or an invisible character). Retype the value.",
                                         key=key, character=f"U+{ord(refused):04X}")))
        return WRONG
    if len(value) > spec.max_length:
        problems.append(Problem(line, _e("{key} is {length} characters long; the limit is {limit}. Shorten it.",
                                         key=key, length=len(value), limit=spec.max_length)))
        return WRONG
    if spec.choices and value not in spec.choices:
        problems.append(Problem(line, _e("{key} is “{value}”; write {help}.", key=key, value=value, help=spec.help)))
        return WRONG
    if spec.pattern is not None and not spec.pattern.fullmatch(value):
        problems.append(Problem(line, _e("{key} is “{value}”, which is not {what}. Write {help}.", key=key,
                                         value=value, what=spec.what, help=spec.help)))
        return WRONG
    if path[-1:] == ("map_url",):
        problem = map_url_problem(value)
        if problem is not None:
            problems.append(Problem(line, _e("{key} is “{value}”, which {problem}. Write {help}.", key=key,
                                             value=value, problem=problem, help=spec.help)))
            return WRONG
    return value


def map_url_problem(value):
    """What is wrong with a map link (an allow-list: scheme, host, characters), or None."""
    scheme, separator, _ = value.partition("://")
    if not separator or scheme.lower() not in MAP_URL_SCHEMES:
        return _e("does not start with {schemes}", schemes=", ".join(f"{name}://" for name in MAP_URL_SCHEMES))
    if not URL_REST.fullmatch(value[len(scheme) + 3:]):
        return _e("holds a space, a quote or another character an address cannot hold")
    parts = urlsplit(value)
    if parts.username is not None or parts.password is not None or not HOST.fullmatch(parts.hostname or ""):
        return _e("has no host name like www.google.com after https://")
    return None


def same_number(tel, display):
    """True when `display` is the number `tel`: in full (+380 97 …, the
    same digits), or as dialled at home (its digits end tel's once a leading
    trunk 0 is dropped: (097) 055-22-00 is +380970552200)."""
    digits = re.sub(r"[^0-9]", "", display)
    if display.startswith("+"):
        return tel[1:] == digits
    national = digits.removeprefix("0")
    return bool(national) and tel[1:].endswith(national)


# --- Into the settings ------------------------------------------------------------


def settings_of(facts, languages):
    """The settings the rest of the code reads, from the facts (wrong ones
    left out): every setting there, in its shape, whatever the file holds."""
    names = facts.get("name", {})
    phone = facts.get("phone", {})
    location_keys = [key.name for key in LOCATIONS.value.item.keys]
    hours_keys = [key.name for key in OPENING_HOURS.value.item.keys]
    return {
        "CLINIC_NAME": {lang: names.get(lang, "") for lang in languages},
        "PHONE": {"tel": phone.get("tel", ""), "display": phone.get("display", "")},
        "OPENING_HOURS": [row for row in facts.get("opening_hours", []) if all(key in row for key in hours_keys)],
        "LOCATIONS": [location for location in facts.get("locations", [])
                      if all(key in location for key in location_keys)
                      and all(lang in location[key] for key in ("street", "city") for lang in languages)],
        "TOPICS": {topic["slug"]: dict(topic.get("name", {})) for topic in facts.get("topics", []) if "slug" in topic},
    }


def plain(value):
    """ruamel's values as plain dicts, lists and str (the settings are
    copied, compared and printed: no comments or line marks in them)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return str(value)


def read_settings_from(path, languages):
    """(the settings, [Problem]) from the file at `path`: pelicanconf.py's call."""
    facts, problems = read_facts(path, languages)
    return settings_of(plain(facts), languages), problems


# --- In a build ----------------------------------------------------------------------


def source_of(settings):
    """The file a build reads: its content folder's, else the one
    pelicanconf.py read (CLINIC_DATA_SOURCE)."""
    own = Path(settings["PATH"]) / FILE_NAME
    if os.path.lexists(own) or not settings.get("CLINIC_DATA_SOURCE"):
        return own
    return Path(settings["CLINIC_DATA_SOURCE"])


def apply(settings, report=None):
    """Check the build's file, report its problems at their lines (to
    `report`, a report.Report), and, when it is not the one pelicanconf.py
    read, put its facts into the settings (with SITENAME, Pelican's name
    for the site)."""
    from .build import display_path
    from .files import shown

    path = source_of(settings)
    new_settings, problems = read_settings_from(path, settings["LANGUAGES"])
    if report is not None:
        inside = not Path(display_path(path, settings)).is_absolute()
        name = display_path(path, settings) if inside else shown(path)
        for problem in problems:
            report.error(name, problem.line, problem.message)
    read = settings.get("CLINIC_DATA_SOURCE")
    if read is None or not Path(read).exists() or not path.exists() or not path.samefile(read):
        settings.update(new_settings)
        settings["SITENAME"] = new_settings["CLINIC_NAME"][settings["DEFAULT_LANG"]]
        settings["CLINIC_DATA_SOURCE"] = str(path.resolve())
    return problems


# --- The web editor -------------------------------------------------------------------


def editor_collection(settings):
    """The file as a Sveltia CMS "files" collection: one form whose fields
    are the contract's, with its limits, patterns and hints, labelled in the
    editor's language (messages.EDITOR_LANGUAGE)."""
    from . import messages

    lang = messages.language()
    content_folder = Path(settings.get("PATH", "content")).name

    def field(key):
        entry = {"name": key.name, "label": key.label.render(lang)}
        if not key.required:
            entry["required"] = False
        return {**entry, **widget(key.value)}

    def widget(spec):
        if isinstance(spec, Text) and spec.choices:
            return {"widget": "select", "options": list(spec.choices), "hint": spec.help.render(lang)}
        if isinstance(spec, Text):
            entry = {"widget": "string", "maxlength": spec.max_length, "hint": spec.help.render(lang)}
            if spec.pattern is not None:
                entry["pattern"] = [f"^(?:{spec.pattern.pattern})$", spec.what.render(lang)]
            if spec.max_length == MAP_URL_MAX_LENGTH:
                entry["type"] = "url"
            return entry
        if isinstance(spec, PerLanguage):
            return {"widget": "object", "fields": [
                {"name": code, "label": language["name"], **widget(spec.text)}
                for code, language in settings["LANGUAGES"].items()]}
        if isinstance(spec, Group):
            return {"widget": "object", "fields": [field(key) for key in spec.keys]}
        if isinstance(spec.item, Text):  # a list of texts from a fixed list: a multiple choice
            return {"widget": "select", "multiple": True, "options": list(spec.item.choices),
                    "min": spec.min_items, "hint": spec.item.help.render(lang)}
        entry = {"widget": "list", "fields": [field(key) for key in spec.item.keys]}
        if spec.min_items:
            entry["min"] = spec.min_items
        if spec.unique:
            entry["summary"] = f"{{{{fields.{spec.unique}}}}}"
        return entry

    return {
        "name": "clinic",
        "label": _e("The clinic's facts").render(lang),
        "files": [{
            "name": "facts",
            "label": _e("The clinic's facts").render(lang),
            "file": f"{content_folder}/{FILE_NAME}",
            "format": "yaml",
            "fields": [field(key) for key in FACTS.keys],
        }],
    }
