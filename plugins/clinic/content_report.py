"""The content report: every article's languages, review and translation state.

Editors need to see, across the site, what no build log shows at a glance:
which articles are unreviewed or overdue for review, which lack a language,
which translations are older than the Ukrainian text they translate, which
are drafts, and what each file is warned about. ``report_data()`` builds it
as plain data (dicts and lists) once everything is read and checked; from
that one value come

* ``invoke report`` (a table in the terminal) and ``invoke report --json``
  (for CI's job summary), through ``CONTENT_REPORT_JSON``;
* a page in the preview (``CONTENT_REPORT_SAVE_AS``, set in pelicanconf.py
  and emptied in publishconf.py: never on the published site).

Before it is built, ``report_data()`` warns about every article whose page
is heavy (``heavy-page``): a page's weight is the site's share around the
text, which tests/test_budget.py holds to ``SITE_SHARE_MAX_GZIP_BYTES``
whatever editors write, plus what editors wrote, which no test limits. A
long article is the editors' choice, so it is a warning, never a failure.
"""

import gzip
import json
import os
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from . import contract
from .build import build_state, display_path, unread_original
from .messages import _e, _en, render
from .reader import plain_text

# What the site adds around an article's text (head, stylesheet, JSON-LD,
# header, review lines, form, related articles, footer), gzip-compressed, with
# every string editors wrote taken out: tests/test_budget.py holds every
# article page to it (its first view is this one page, its CSS inline).
# Measured on the fullest page there is (every component, the most related
# articles with pictures, both neighbours, sources and a note): 7.8 KB in
# Ukrainian and Russian (7.6-7.7 KB before sources, issue 22), 7.2 KB in
# English; today's article 6.8 KB. 7.5 KB until the form
# gained its "send again anyway" control (issue 19), which, with the fullest
# page now measured instead of today's, left no room.
SITE_SHARE_MAX_GZIP_BYTES = 8 * 1024
# A whole article page, gzip-compressed, above which the report warns: about
# 7,000 words of text. Half the 60 KB a phone's first view of an article
# with a photo may cost (tests/plugins/test_photos.py), the other half left
# to its photos.
HEAVY_PAGE_GZIP_BYTES = 30 * 1024


def gzip_bytes(data):
    """Bytes as a host sends them, each file gzip-compressed on its own."""
    return len(gzip.compress(data, compresslevel=9))


def written_fields(item):
    """What editors wrote in an article's fields, as its page shows them:
    title and summary first, then tags, names (the people's, and the
    reviewer's role, from their files: people.py), condition, picture,
    address."""
    picture = getattr(item, "picture", None)
    reviewer = getattr(item, "reviewer_person", None)
    return [item.title, plain_text(getattr(item, "summary", "")), ", ".join(map(str, getattr(item, "tags", []))),
            ", ".join(map(str, getattr(item, "authors", []))), getattr(item, "reviewer", None) or "",
            reviewer.role if reviewer else "", getattr(item, "condition", None) or "", picture.alt if picture else "",
            item.slug]


def page_weight(item):
    """(the page, what editors wrote in it): about how many gzip bytes. The
    site's share is taken at its budget (a page's own is at most that),
    plus everything editors wrote that the page shows (its text and fields,
    and the fields of the articles it lists), compressed on its own, once:
    a field the page repeats costs a few bytes more each time
    (tests/test_budget.py checks the sum against real pages)."""
    listed = [*getattr(item, "related_articles", []), getattr(item, "previous_article", None),
              getattr(item, "next_article", None)]
    # A list shows another article's title and summary (previous/next: the
    # title), and leads to its address.
    written = [*written_fields(item), *(field for other in listed if other
                                         for field in written_fields(other)[:2] + [other.slug])]
    footnotes = [cited.html for cited in getattr(item, "footnotes", [])]
    editors = gzip_bytes("\n".join([*written, item.content, *footnotes]).encode())
    return SITE_SHARE_MAX_GZIP_BYTES + editors, editors


def warn_heavy_pages(articles, settings, report):
    """Warn about each heavy page; keep each page's weight on its article
    (``page_gzip_bytes``, for the report's data)."""
    for item in articles:
        page, editors = page_weight(item)
        item.page_gzip_bytes = page
        if page > HEAVY_PAGE_GZIP_BYTES:
            report.warn(display_path(item.source_path, settings), 1, _e(
                "this article's page weighs about {page} KB compressed ({text} KB of it is the text), more than the "
                "{limit} KB a page should stay within to open quickly on a phone. It is published all the same; "
                "consider splitting it into shorter articles that link to each other.", page=f"{page / 1024:.0f}",
                text=f"{editors / 1024:.0f}", limit=HEAVY_PAGE_GZIP_BYTES // 1024), "heavy-page")


def review_state(reviewed, due, today):
    if due is None:
        return "unreviewed" if reviewed is None else "unknown"
    days_left = (due - today).days
    if days_left < 0:
        return "overdue"
    if days_left <= contract.REVIEW_WARNING_DAYS:
        return "due-soon"
    return "ok"


def translation_state(item, original, sources):
    """original / up-to-date / stale / unknown (no version recorded) /
    no-original / original-not-read (its file has problems of its own)."""
    if item is original:
        return {"state": "original", "version": sources[item.source_path].text_version}
    if original is None and unread_original(item.source_path, item.settings):
        return {"state": "original-not-read"}
    if original is None or original.source_path not in sources:
        return {"state": "no-original"}
    current = sources[original.source_path].text_version
    made_from = sources[item.source_path].values.get("translated_from")
    state = "unknown" if made_from is None else "up-to-date" if made_from == current else "stale"
    return {"state": state, "made_from": made_from, "original_version": current}


def language_entry(item, original, settings):
    state = build_state(settings)
    source = state.sources[item.source_path]
    shown = display_path(item.source_path, settings)
    reviewed, due = getattr(item, "reviewed_date", None), getattr(item, "review_due_date", None)
    return {
        "path": shown,
        "url": item.url,
        "title": item.title,
        "summary": plain_text(getattr(item, "summary", "")),
        "date": item.date.date().isoformat(),
        "modified": item.modified.date().isoformat() if getattr(item, "modified", None) else None,
        "category": str(item.category),
        "tags": [str(tag) for tag in getattr(item, "tags", [])],
        "category_url": item.category.url,
        "condition": getattr(item, "condition", None),
        "status": item.status,
        "authors": [str(author) for author in getattr(item, "authors", [])],
        "reviewer": getattr(item, "reviewer", None),
        "picture_alt": item.picture.alt if getattr(item, "picture", None) else None,
        "reviewed": reviewed.isoformat() if reviewed else None,
        "review_due": due.isoformat() if due else None,
        "review_state": review_state(reviewed, due, state.today),
        "page_gzip_bytes": item.page_gzip_bytes,
        "translation": translation_state(item, original, state.sources),
        "claims": [{"phrase": phrase, "acknowledged": known} for phrase, known in source.claims],
        "warnings": [
            # The message in the editor's language, and which message it is
            # with which parameters (for tools and tests, in any language).
            {"line": w.line, "kind": w.code, "message": str(w.message), "message_id": w.message.id,
             "parameters": {name: render(value) for name, value in w.message.params}}
            for w in sorted(state.report.warnings) if w.path == shown
        ],
    }


def people_rows(people, articles, settings):
    """[{"slug", "languages": {lang: {"title", "role", "path", "url", "status", "qualifications"}}, "written",
    "reviewed",
    "overdue"}]: each person (people.link_people's {slug: {lang: person}}), and the articles, in any
    language, that name them as Author or Reviewer ({"slug", "lang", "title", "url"}); "overdue": the
    reviewed ones whose review is overdue."""
    today = build_state(settings).today

    def named(article):
        return {"slug": article.slug, "lang": article.lang, "title": article.title, "url": article.url}

    rows = []
    for slug, versions in sorted((people or {}).items()):
        written = [a for a in articles if getattr(a, "author_slug", None) == slug]
        reviewed = [a for a in articles if getattr(a, "reviewer_slug", None) == slug]
        overdue = [a for a in reviewed
                   if review_state(getattr(a, "reviewed_date", None), getattr(a, "review_due_date", None), today)
                   == "overdue"]
        order = lambda article: (article.slug, list(settings["LANGUAGES"]).index(article.lang))  # noqa: E731
        rows.append({
            "slug": slug,
            "languages": {lang: {"title": person.title, "role": person.role, "url": person.url,
                                 "path": display_path(person.source_path, settings), "status": person.status,
                                 "qualifications": [[q.what, q.awarded_by] for q in person.qualifications]}
                          for lang, person in sorted(versions.items())},
            "written": [named(a) for a in sorted(written, key=order)],
            "reviewed": [named(a) for a in sorted(reviewed, key=order)],
            "overdue": [named(a) for a in sorted(overdue, key=order)],
        })
    return rows


def report_data(articles, settings, people=None):
    """{"date", "languages", "articles": [{"slug", "languages": {lang: entry or None}, "missing", "unread"}],
    "people": people_rows()}.

    "missing": the languages with no file; "unread": those whose file is
    there but has problems of its own (so it was not read).

    First adds the heavy-page warnings to the build's report: they need
    every article's rendered text, as the report does, and the report
    lists each file's warnings."""
    state = build_state(settings)
    warn_heavy_pages(articles, settings, state.report)
    by_slug = {}
    for item in articles:
        if item.source_path in state.sources:
            by_slug.setdefault(item.slug, []).append(item)
    rows = []
    for slug, items in sorted(by_slug.items()):
        versions = {item.lang: item for item in items}
        original = versions.get(settings["DEFAULT_LANG"])
        folder = os.path.dirname(items[0].source_path)
        # A language whose file is there but has problems (listed with the
        # errors) is not missing: the editor must fix it, not write it.
        unread = [lang for lang in settings["LANGUAGES"]
                  if lang not in versions and os.path.lexists(os.path.join(folder, contract.content_file_name(lang)))]
        rows.append({
            "slug": slug,
            "languages": {
                lang: language_entry(versions[lang], original, settings) if lang in versions else None
                for lang in settings["LANGUAGES"]
            },
            "missing": [lang for lang in settings["LANGUAGES"] if lang not in versions and lang not in unread],
            "unread": unread,
        })
    return {"date": state.today.isoformat(), "languages": list(settings["LANGUAGES"]), "articles": rows,
            "people": people_rows(people, articles, settings)}


# A language's state in words, the alarming parts in capitals; the keys are
# the JSON's values (review_state(), translation_state(), Status).
STATUS_WORDS = {"draft": _e("DRAFT"), "published": _e("published"), "hidden": _e("hidden")}
REVIEW_WORDS = {"unreviewed": _e("not reviewed yet"), "ok": _e("review on time"), "overdue": _e("review OVERDUE"),
                "due-soon": _e("review DUE SOON"), "unknown": _e("review date unknown")}
TRANSLATION_WORDS = {
    "original": _e("the original"), "up-to-date": _e("translation up to date"), "stale": _e("translation STALE"),
    "unknown": _e("translation version unknown"), "no-original": _e("translation without an original"),
    "original-not-read": _e("translation, original not read"),
}


def state_label(entry):
    """A language's state in a few words, the alarming parts in capitals."""
    status, review, translation = entry["status"], entry["review_state"], entry["translation"]["state"]
    return ", ".join([str(STATUS_WORDS.get(status, status)), str(REVIEW_WORDS.get(review, review)),
                      str(TRANSLATION_WORDS.get(translation, translation))])


def as_text(data):
    """The report for a terminal: an article a block, a language a line."""
    lines = [str(_en("Content report, {date}: {count} article.", "Content report, {date}: {count} articles.",
                     date=data["date"], count=len(data["articles"]))), ""]
    for row in data["articles"]:
        missing = _e("MISSING: {languages}", languages=", ".join(row["missing"]))
        lines.append(row["slug"] + (f"  ({missing})" if row["missing"] else ""))
        for lang, entry in row["languages"].items():
            if entry is None:
                said = (_e("HAS PROBLEMS: not read (see the problems above)") if lang in row["unread"]
                        else _e("MISSING"))
                lines.append(f"  {lang}  {said}")
                continue
            lines.append(f"  {lang}  " + str(_e(
                "{state}; author: {authors}; reviewer: {reviewer}; reviewed: {reviewed}; next review: {due}",
                state=state_label(entry), authors=", ".join(entry["authors"]) or "-", reviewer=entry["reviewer"] or "-",
                reviewed=entry["reviewed"] or "-", due=entry["review_due"] or "-")))
            lines += ["      " + str(_e("checked phrase: “{phrase}”", phrase=c["phrase"]))
                      for c in entry["claims"] if c["acknowledged"]]
            lines += ["      " + str(_e("line {line}: {message} [{kind}]", line=w["line"], message=w["message"],
                                       kind=w["kind"])) for w in entry["warnings"]]
        lines.append("")
    for row in data.get("people", []):
        names = "; ".join(f"{lang}: {entry['title']}, {entry['role']}" for lang, entry in row["languages"].items())
        lines.append(str(_e("person {slug} ({names})", slug=row["slug"], names=names)))
        for key, label in (("written", _e("wrote")), ("reviewed", _e("reviewed")), ("overdue", _e("REVIEW OVERDUE"))):
            if row[key]:
                lines.append(f"  {label}: " + ", ".join(f"{a['slug']} ({a['lang']})" for a in row[key]))
        lines.append("")
    return "\n".join(lines)


def as_markdown(data):
    """The report for CI's job summary: one table row per article and language."""
    heading = _e("Content report, {date}", date=data["date"])
    columns = [_e("Article"), _e("Language"), _e("State"), _e("Reviewer"), _e("Next review"), _e("Warnings")]
    rows = [f"### {heading}", "", "| " + " | ".join(map(str, columns)) + " |", "| --- | --- | --- | --- | --- | --- |"]
    for row in data["articles"]:
        for lang, entry in row["languages"].items():
            if entry is None:
                state = _e("**has problems**: not read") if lang in row["unread"] else _e("**missing**")
                rows.append(f"| {row['slug']} | {lang} | {state} | | | |")
                continue
            rows.append(f"| {row['slug']} | {lang} | {state_label(entry)} | {entry['reviewer'] or '—'} | "
                        f"{entry['review_due'] or '—'} | {len(entry['warnings'])} |")
    return "\n".join(rows) + "\n"


def write_json(data, path):
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


class ContentReportGenerator(Generator):
    """Writes the report's page, in the preview only."""

    def generate_output(self, writer):
        save_as = self.settings.get("CONTENT_REPORT_SAVE_AS")
        data = build_state(self.settings).content_report
        if not save_as or data is None:
            return
        writer.write_file(save_as, self.get_template("content_report"), self.context,
                          report=data, lang=self.settings["DEFAULT_LANG"], url=save_as,
                          relative_urls=self.settings["RELATIVE_URLS"])


def get_generators(pelican):
    return ContentReportGenerator


def register():
    signals.get_generators.connect(get_generators)
