"""JSON-LD for search engines, built as Python dicts and serialised.

Never assembled in a template: templates call ``structured_data()``, which
returns the page's JSON-LD already serialised (``json.dumps``), and print it
inside ``<script type="application/ld+json">``.

Every page carries the clinic: one ``MedicalOrganization`` and one
``MedicalClinic`` (a schema.org MedicalBusiness) per location, each with its
own ``@id``, address, phone, map link and, once the clinic has given them,
opening hours. Articles add a ``MedicalWebPage`` (with ``reviewedBy``,
``lastReviewed``, ``about`` a ``MedicalCondition`` when known, and a
``citation`` for each source the article cites) and a
``BreadcrumbList`` matching the visible breadcrumbs; home pages add a
``WebSite``. The clinic's people are ``Person`` nodes identified by an
``@id`` on their profile page (its ``ProfilePage``'s ``mainEntity``), with
their role, credentials and the clinic they work for; an article's
``author`` and ``reviewedBy`` are those nodes (their credentials on the
profile only: see ``person``). Dates are ISO 8601.
"""

import json

from jinja2 import pass_context
from pelican import signals

from . import sources
from .addresses import language_prefix
from .article_extras import plain_text
from .languages import page_language

SCHEMA_CONTEXT = "https://schema.org"
# schema.org day names for the codes used in OPENING_HOURS.
DAYS = {
    "Mo": "Monday", "Tu": "Tuesday", "We": "Wednesday", "Th": "Thursday",
    "Fr": "Friday", "Sa": "Saturday", "Su": "Sunday",
}


def absolute(settings, path=""):
    return f"{settings['ABSOLUTE_SITEURL']}/{path}"


def organization_id(settings):
    return absolute(settings, "#organization")


def location_id(settings, location):
    return absolute(settings, f"#location-{location['id']}")


def organization(settings, lang):
    """The clinic as a whole."""
    return {
        "@type": "MedicalOrganization",
        "@id": organization_id(settings),
        "name": settings["CLINIC_NAME"][lang],
        "url": absolute(settings, language_prefix(lang, settings)),
        "telephone": settings["PHONE"]["tel"],
        "location": [{"@id": location_id(settings, location)} for location in settings["LOCATIONS"]],
    }


def opening_hours(settings):
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"{SCHEMA_CONTEXT}/{DAYS[code]}" for code in row["days"]],
            "opens": row["opens"],
            "closes": row["closes"],
        }
        for row in settings["OPENING_HOURS"]
    ]


def clinic_location(settings, location, lang):
    """One of the clinic's places people can go to."""
    place = {
        "@type": "MedicalClinic",
        "@id": location_id(settings, location),
        "name": f"{settings['CLINIC_NAME'][lang]} – {location['street'][lang]}",
        "parentOrganization": {"@id": organization_id(settings)},
        "telephone": settings["PHONE"]["tel"],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location["street"][lang],
            "addressLocality": location["city"][lang],
            "addressCountry": location["country"],
        },
        "hasMap": location["map_url"],
        "url": absolute(settings, f"{language_prefix(lang, settings)}contacts/"),
    }
    hours = opening_hours(settings)
    if hours:
        place["openingHoursSpecification"] = hours
    return place


def iso_date(value):
    return value.date().isoformat() if hasattr(value, "date") else value.isoformat()


def person_id(settings, person):
    return absolute(settings, person.url) + "#person"


def person(settings, someone, credentials=True):
    """One of the clinic's people (a profile: people.py). Their own page
    describes them in full; an article names them with all but their
    credentials (``credentials=False``), which search engines join to the
    node from the profile by its @id: how many an editor lists would
    otherwise weigh on every article they wrote or reviewed."""
    node = {
        "@type": "Person",
        "@id": person_id(settings, someone),
        "name": someone.title,
        "jobTitle": someone.role,
        "url": absolute(settings, someone.url),
        "worksFor": {"@id": organization_id(settings)},
    }
    if credentials and someone.qualifications:
        node["hasCredential"] = [
            {
                "@type": "EducationalOccupationalCredential",
                "name": qualification.what,
                "credentialCategory": qualification.what,
                "recognizedBy": {"@type": "Organization", "name": qualification.awarded_by},
                "dateCreated": str(qualification.year),
            }
            for qualification in someone.qualifications
        ]
    photo = getattr(someone, "photo", None)
    if photo:
        largest = photo.photo.of_type("jpg")[-1]
        node["image"] = absolute(settings, largest.path)
    return node


def profile_page(settings, someone):
    """A person's page: a ProfilePage about them."""
    return {
        "@type": "ProfilePage",
        "@id": absolute(settings, someone.url) + "#page",
        "url": absolute(settings, someone.url),
        "name": someone.title,
        "inLanguage": someone.lang,
        "isPartOf": {"@id": website_id(settings, someone.lang)},
        "mainEntity": person(settings, someone),
    }


def medical_web_page(settings, article):
    """An article, as a page of medical information."""
    page = {
        "@type": "MedicalWebPage",
        "@id": absolute(settings, article.url) + "#page",
        "url": absolute(settings, article.url),
        "headline": article.title,
        "name": article.title,
        "description": plain_text(article.summary),  # a Summary is Markdown made HTML
        "inLanguage": article.lang,
        "datePublished": iso_date(article.date),
        "dateModified": iso_date(getattr(article, "modified", None) or article.date),
        "author": (person(settings, article.author_person, credentials=False)
                   if getattr(article, "author_person", None)
                   else {"@id": organization_id(settings)}),
        "publisher": {"@id": organization_id(settings)},
        "isPartOf": {"@id": website_id(settings, article.lang)},
    }
    reviewer = getattr(article, "reviewer_person", None)
    if reviewer is not None:
        # The same person twice is described once, and named by its @id.
        same = reviewer is getattr(article, "author_person", None)
        page["reviewedBy"] = ({"@id": person_id(settings, reviewer)} if same
                              else person(settings, reviewer, credentials=False))
    if getattr(article, "reviewed_date", None):
        page["lastReviewed"] = article.reviewed_date.isoformat()
    if getattr(article, "condition", None):
        page["about"] = {"@type": "MedicalCondition", "name": article.condition}
    citations = [citation(cited.footnote) for cited in getattr(article, "footnotes", []) if cited.kind == "source"]
    if citations:
        page["citation"] = citations
    picture = getattr(article, "picture", None)
    if picture is not None:
        page["primaryImageOfPage"] = {
            "@type": "ImageObject", "url": absolute(settings, picture.shared.path),
            "width": picture.shared.width, "height": picture.shared.height, "caption": picture.alt,
        }
    return page


def citation(footnote):
    """A source the article cites (sources.Footnote), as a CreativeWork:
    its title, publisher and year where its definition could be read into
    them (else its words are its name), and its address."""
    if footnote.title is None:
        return {"@type": "CreativeWork", "name": sources.words_of(footnote.text) or footnote.url, "url": footnote.url}
    return {
        "@type": "CreativeWork",
        "name": footnote.title,
        "publisher": {"@type": "Organization", "name": footnote.publisher},
        "datePublished": footnote.year,
        "url": footnote.url,
    }


def website_id(settings, lang):
    return absolute(settings, f"{language_prefix(lang, settings)}#website")


def website(settings, lang):
    return {
        "@type": "WebSite",
        "@id": website_id(settings, lang),
        "url": absolute(settings, language_prefix(lang, settings)),
        "name": settings["CLINIC_NAME"][lang],
        "inLanguage": lang,
        "publisher": {"@id": organization_id(settings)},
    }


def breadcrumb_list(settings, crumbs):
    """crumbs: [(name, path)], as the visible breadcrumbs show them."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute(settings, path)}
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }


# The pages that describe the clinic in full (MedicalOrganization and each
# MedicalClinic, by their Template); every other page names it by its @id,
# which search engines join with the description they read there. Repeated
# on every article, it cost about 450 bytes of gzip a page (issue 13).
CLINIC_PAGE_TEMPLATES = ("home", "contacts")


def describes_clinic(page):
    return page is not None and getattr(page, "template", None) in CLINIC_PAGE_TEMPLATES


def page_graph(settings, lang, article=None, page=None, category=None, home_name=""):
    """Everything one page says about itself, as a JSON-LD @graph."""
    if describes_clinic(page):
        graph = [organization(settings, lang)]
        graph += [clinic_location(settings, location, lang) for location in settings["LOCATIONS"]]
    else:
        graph = [{"@id": organization_id(settings)}]
    home_path = language_prefix(lang, settings)
    if article is not None:
        graph.append(medical_web_page(settings, article))
        graph.append(
            breadcrumb_list(
                settings,
                [(home_name, home_path), (str(article.category), article.category.url), (article.title, article.url)],
            )
        )
    elif category is not None:
        graph.append(breadcrumb_list(settings, [(home_name, home_path), (str(category), category.url)]))
    elif page is not None and getattr(page, "template", None) == "person":
        graph.append(profile_page(settings, page))
    elif page is not None and page.slug == "home":
        graph.append(website(settings, lang))
    return {"@context": SCHEMA_CONTEXT, "@graph": graph}


# Characters that could change the HTML parser's state inside <script>
# ("</script>", "<!--<script>"), or end a line for an old JavaScript parser,
# written as JSON escapes: the JSON means the same, the HTML cannot change.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def serialise(data):
    """JSON that is safe inside <script type="application/ld+json">."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_SAFE)


def install_template_helper(generator):
    settings = generator.settings

    @pass_context
    def structured_data(context, home_name=""):
        lang = page_language(context)
        return serialise(
            page_graph(
                settings,
                lang,
                article=context.get("article"),
                page=context.get("page"),
                category=context.get("category"),
                home_name=home_name,
            )
        )

    generator.env.globals["structured_data"] = structured_data


def register():
    signals.generator_init.connect(install_template_helper)
