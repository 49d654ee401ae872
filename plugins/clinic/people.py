"""The clinic's people: profiles, and the articles that name them.

A person is a content file under ``content/people/<slug>/`` (contract
``PERSON``), read by Pelican as a page with the template ``person`` at
``people/<slug>/`` (addresses.person_url). Articles name people by that
slug in ``Author`` and ``Reviewer``; here, once everything is read:

* a slug that is no person's is an error at its line, listing the people
  there are (and the one probably meant);
* each article gets ``author_person`` / ``reviewer_person`` (the person's
  version in the article's language, else the default language's), and
  ``author``/``authors``/``reviewer`` the people's names (feeds name them);
* each person gets ``written`` and ``reviewed`` (the published articles in
  its language that name them), ``locations`` (the LOCATIONS rows where
  they see patients) and ``qualifications`` (Qualification rows);
* ``specialists_by_lang`` in the context: {lang: [people who see patients]},
  for the "Our specialists" pages and their link (only where there is one).
"""

import datetime
import difflib
from dataclasses import dataclass

from pelican import signals
from pelican.generators import Generator

from . import contract, photos
from .addresses import person_url, specialists_path, specialists_url
from .build import build_state, display_path
from .languages import collation_key, same_page_in_languages
from .messages import _e
from .sanitise import printable

# A person's Photo: a square, shown 10rem (160 px) wide on their page.
PORTRAIT = photos.Shape((160, 320, 480), crop=(1, 1))
PORTRAIT_SIZES = "10rem"


@dataclass(frozen=True)
class Qualification:
    what: str
    awarded_by: str
    year: int


@dataclass(frozen=True)
class PersonPhoto:
    photo: object  # photos.Photo, the square portrait
    alt: str


class PersonName(str):
    """A person's name as an article's author: text, as feeds name an
    entry's author, with the slug Pelican asks of an author when it makes
    an article's address (never an Author of Pelican's, whose slug it would
    make from the name, and complain of when it cannot)."""

    def __new__(cls, name, slug):
        named = super().__new__(cls, name)
        named.slug = slug
        return named


def parse_qualifications(value):
    """([Qualification], [problems]) of a Qualifications field: each part
    "what — awarded by whom, year", parts separated by ;"""
    found, problems = [], []
    this_year = datetime.date.today().year
    for number, part in enumerate(value.split(contract.QUALIFICATION_SEPARATOR), start=1):
        part = part.strip()
        if not part:
            continue
        match = contract.QUALIFICATION.fullmatch(part)
        if match is None:
            problems.append(_e("qualification {number} (“{part}”) is not written “what — awarded by whom, year”, e.g. "
                               "Диплом масажиста — Київський медичний коледж, 2015", number=number,
                               part=printable(part)))
            continue
        year = int(match["year"])
        if not contract.QUALIFICATION_FIRST_YEAR <= year <= this_year:
            problems.append(_e("qualification {number} (“{part}”) has the year {year}: write the year it was "
                               "awarded, from {first} to {last}", number=number, part=printable(part), year=year,
                               first=contract.QUALIFICATION_FIRST_YEAR, last=this_year))
            continue
        found.append(Qualification(match["what"].strip(), match["by"].strip(), year))
    return found, problems


def location_ids(value):
    return [part.strip() for part in value.split(",") if part.strip()]


def value_problems(spec, value, settings):
    """What is wrong with the value of a field of the people's types
    ("person", "qualifications", "locations"): a list of messages."""
    if contract.UNFINISHED in value:
        return []  # a draft's TODO: see the TODO check
    if spec.type == "person" and not contract.SLUG.fullmatch(value):
        return [_e("{name} is “{value}”: write the name of the person's folder under content/people/ (small Latin "
                  "letters, digits and hyphens, e.g. olena-koval), not their name.", name=spec.name,
                  value=printable(value))]
    if spec.type == "qualifications":
        _, problems = parse_qualifications(value)
        return [_e("{name}: {problem}. Separate qualifications by ;.", name=spec.name, problem=problem)
                for problem in problems]
    if spec.type == "locations":
        known = [location["id"] for location in settings.get("LOCATIONS", [])]
        for place in location_ids(value):
            if place not in known:
                close = difflib.get_close_matches(place, known, n=1)
                meant = _e(" Did you mean {id}?", id=close[0]) if close else ""
                return [_e("{name}: “{place}” is not one of the clinic's locations. Use the ids of the "
                           "locations in content/clinic.yaml: {known}.{meant}", name=spec.name, place=printable(place),
                           known=", ".join(known), meant=meant)]
    return []


def person_values(source, values, settings, report):
    """What a person's file gives Pelican beyond its fields: its template,
    its address, the qualifications and locations read, its photo (and
    the Photos to write)."""
    values["template"] = "person"
    if str(values.get("status", "published")).lower() == "published":
        values["url"] = person_url(source.path_slug, source.path_lang, settings)
        values["save_as"] = values["url"] + "index.html"
    values["qualifications"] = parse_qualifications(values.get("qualifications", ""))[0]
    values["sees_patients_at"] = location_ids(values.get("sees_patients_at", ""))
    name, alt = values.pop("photo", None), values.pop("photo_alt", None)
    if name and contract.UNFINISHED in name:
        return []  # a draft's: see the TODO check
    if name and not alt:
        report.error(source.shown, source.line_of("photo"), _e(
            "Photo needs a description: add a line “Photo_alt: …” saying what the photo shows, for people who "
            "cannot see it."))
    if alt and not name:
        report.error(source.shown, source.line_of("photo_alt"), _e(
            "Photo_alt describes the Photo, but there is none: add “Photo: photo.jpg” (a photo beside this file), "
            "or remove the line."))
    if not name or not alt:
        return []
    prepared = photos.photo_beside(name, source, source.line_of("photo"), settings, report, (PORTRAIT,))
    if prepared is None:
        return []
    values["photo"] = PersonPhoto(prepared[0], alt)
    return prepared


def is_person(item):
    return getattr(item, "template", None) == "person"


def version_in(person_versions, lang, settings):
    """The person's version in `lang`, else in the default language, else any."""
    return (person_versions.get(lang) or person_versions.get(settings["DEFAULT_LANG"])
            or next(iter(person_versions.values())))


def link_people(items, context, settings, report):
    """Check every Author and Reviewer against the people there are, and
    link articles and people both ways (see the module's docstring)."""
    from pelican.contents import Article

    state = build_state(settings)
    people = {}  # slug -> {lang: person}
    # Pelican reads people as pages, and takes pages of one slug for
    # translations of each other: a person may not share a page's slug.
    page_slugs = {item.slug for item in items if not isinstance(item, Article) and not is_person(item)}
    for item in items:
        if is_person(item) and item.slug in page_slugs:
            report.error(display_path(item.source_path, settings), 1, _e(
                "the folder's name “{slug}” is also a page's (content/pages/{slug}/): a person and a page may not "
                "share a name. Rename the person's folder (and the Author or Reviewer lines that name it).",
                slug=item.slug))
        if is_person(item):
            people.setdefault(item.slug, {})[item.lang] = item
            item.written, item.reviewed = [], []
            item.locations = [location for location in settings["LOCATIONS"]
                              if location["id"] in getattr(item, "sees_patients_at", [])]
    for item in items:
        if not isinstance(item, Article):
            continue
        source = state.sources.get(item.source_path)
        for key in ("author", "reviewer"):
            setattr(item, f"{key}_person", None)
            slug = getattr(item, f"{key}_slug", None)
            if not slug or contract.UNFINISHED in slug:
                continue
            if slug not in people:
                close = difflib.get_close_matches(slug, list(people), n=1)
                report.error(display_path(item.source_path, settings), source.line_of(key) if source else 1, _e(
                    "{name} is “{slug}”, but there is no content/people/{slug}/. Write the name of a person's folder: "
                    "{people}.{meant}", name=contract.FIELDS_BY_KEY[key].name, slug=slug,
                    people=", ".join(sorted(people)) or _e("there are none yet (invoke new --person adds one)"),
                    meant=_e(" Did you mean {id}?", id=close[0]) if close else ""))
                continue
            person = version_in(people[slug], item.lang, settings)
            setattr(item, f"{key}_person", person)
            if item.status == "published" and person.lang == item.lang:
                (person.written if key == "author" else person.reviewed).append(item)
        if item.author_person is not None:
            item.author = PersonName(item.author_person.title, item.author_person.slug)
            item.authors = [item.author]
        item.reviewer = item.reviewer_person.title if item.reviewer_person is not None else None
    by_lang = {lang: [] for lang in settings["LANGUAGES"]}
    for versions in people.values():
        for person in versions.values():
            person.written.sort(key=lambda article: article.date, reverse=True)
            person.reviewed.sort(key=lambda article: article.date, reverse=True)
            if person.status == "published" and person.locations:
                by_lang[person.lang].append(person)
    for lang, listed in by_lang.items():
        listed.sort(key=lambda person: collation_key(person.title, lang))
    context["specialists_by_lang"] = {lang: listed for lang, listed in by_lang.items() if listed}
    context["specialists_urls"] = {lang: specialists_url(lang, settings) for lang in context["specialists_by_lang"]}
    context["people_by_slug"] = people


class SpecialistsGenerator(Generator):
    """Writes each language's "Our specialists" page: only in a language
    where at least one published person sees patients."""

    def generate_output(self, writer):
        if build_state(self.settings).only_outputs is not None:
            return  # the preview's first step after an edit writes the edited pages only
        listed = self.context.get("specialists_by_lang", {})
        same_page = same_page_in_languages({lang: specialists_url(lang, self.settings) for lang in listed})
        for lang, people in listed.items():
            writer.write_file(
                specialists_path(lang, self.settings),
                self.get_template("specialists"),
                self.context,
                lang=lang,
                people=people,
                same_page=same_page[lang],
                list_url=specialists_url(lang, self.settings),
                url=specialists_url(lang, self.settings),
                relative_urls=self.settings["RELATIVE_URLS"],
            )


def install_template_filter(generator):
    from markupsafe import Markup

    settings = generator.settings

    def portrait(person_photo, eager=True):
        """A person's square portrait; eager on their own page (the first
        thing it shows), lazy in a list of people."""
        return Markup(photos.picture_html(person_photo.photo, person_photo.alt, settings, sizes=PORTRAIT_SIZES,
                                          eager=eager, css_class="mc-person__photo"))

    generator.env.filters["portrait"] = portrait


def get_generators(pelican):
    return SpecialistsGenerator


def register():
    signals.generator_init.connect(install_template_filter)
    signals.get_generators.connect(get_generators)
