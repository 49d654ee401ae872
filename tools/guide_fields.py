"""The field tables of the editors' guides, written from the content contract.

Each guide (docs/editors-guide.uk.md, docs/editors-guide.en.md) has three
tables of fields: the fields an article must have, those it may have, and
a page's. Which fields there are, which are required, their limits and
their allowed values come from plugins/clinic/contract.py, the one
definition; the words that explain each field, in each guide's language,
are below (WORDS). Each table sits between two markers in the guide:

    <!-- fields: article-required -->

    | Field | What to write |
    …

    <!-- /fields -->

tests/plugins/test_contract.py fails when a guide's table is not what this
writes. After changing the contract or the words below, rewrite the tables:

    .venv/bin/python tools/guide_fields.py --write
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))  # when run as a script

from clinic import contract  # noqa: E402

GUIDES = {lang: ROOT / "docs" / f"editors-guide.{lang}.md" for lang in ("uk", "en")}

# The tables a guide has, by the name its marker gives.
TABLES = ("article-required", "article-optional", "page")
# Blank lines around the table, so that no Markdown reader takes a marker
# for a row of it.
MARKER = re.compile(r"<!-- fields: (?P<name>[a-z-]+) -->\n\n(?P<table>.*?)\n<!-- /fields -->", re.DOTALL)

# What to write in each field, in each guide's language: one text, or one
# per kind of file (contract.ARTICLE, contract.PAGE) where they differ.
# Limits and allowed values are added from the contract: never write them here.
# (Not the contract's `help`: that is a fragment said inside a message, as
# plain text; a guide's cell is Markdown, with `code`, emphasis and pointers
# to the guide's sections, and may differ for an article and a page.)
WORDS = {
    "en": {
        "Title": "the title, in this language",
        "Date": "the publication date, as year-month-day: `2026-11-23`",
        "Lang": "the language; follows from the file name (`index.uk.md`, `index.en.md`, `index.ru.md`)",
        "Slug": "the address; follows from the folder's name, the same in every language",
        "Category": "the topic, in this language: one of the names in `TOPICS` (`pelicanconf.py`), "
                    "e.g. `Біль у спині`, `Back pain`",
        "Summary": {
            contract.ARTICLE: "one or two sentences saying what the reader will learn (not the title again): "
                              "shown in lists, feeds and to search engines. Plain text; emphasis at most",
            contract.PAGE: "one sentence about the page; on the home page, the sentence under the title",
        },
        "Modified": {
            contract.ARTICLE: "the date of the last real change to the content",
            contract.PAGE: "the date of the last real change to the page: update it when you change the page "
                           "(search engines read it from the sitemap)",
        },
        "Tags": "topics, in this language, separated by commas",
        "Author": "who wrote it",
        "Reviewer": "the name **and credentials** of the specialist who checked it",
        "Reviewed": "the date of that check",
        "Review_due": "when it must be checked again; without it, one year after `Reviewed`",
        "Condition": "what the article is about, e.g. `біль у попереку`",
        "Picture": "a photo beside the text (e.g. `photo.jpg`) that shows what the article is about: the picture "
                   "of its link when shared, and small in the lists of articles (see “The article's picture”)",
        "Picture_alt": "what the `Picture` shows, for people who cannot see it (needed with `Picture`)",
        "Status": {
            contract.ARTICLE: "`draft` while it is not ready",
            contract.PAGE: "`draft` while it is not ready; `hidden` keeps a page out of lists and the sitemap",
        },
        "Template": "the page's layout, for the clinic's special pages",
        "Translated_from": "in a translation: the version of the Ukrainian text it was made from "
                           "(`invoke new --translation-of` writes it; `invoke report` shows the current one)",
        "Claims_checked": "phrases the reviewer checked and keeps although the health-claims check warns "
                          "about them, separated by `;`",
        "Translation": "`true` on a translation that has no original in Ukrainian yet",
    },
    "uk": {
        "Title": "заголовок мовою цього файлу",
        "Date": "дата публікації у форматі рік-місяць-день: `2026-11-23`",
        "Lang": "мова; її визначає назва файлу (`index.uk.md`, `index.en.md`, `index.ru.md`)",
        "Slug": "адреса; її визначає назва папки, однакова для всіх мов",
        "Category": "тема мовою цього файлу: одна з назв у `TOPICS` (`pelicanconf.py`), "
                    "наприклад `Біль у спині`, `Back pain`",
        "Summary": {
            contract.ARTICLE: "одне-два речення про те, що читач дізнається (не повторюйте заголовок). "
                              "Їх видно у списках, у стрічках новин і в пошукових системах. Звичайний текст, "
                              "можна лише виділити слово",
            contract.PAGE: "одне речення про сторінку; на головній — речення під заголовком",
        },
        "Modified": {
            contract.ARTICLE: "дата останньої суттєвої зміни тексту",
            contract.PAGE: "дата останньої суттєвої зміни сторінки: оновлюйте її щоразу, коли змінюєте "
                           "сторінку (пошукові системи беруть її з мапи сайту)",
        },
        "Tags": "ключові слова мовою цього файлу, через кому",
        "Author": "хто написав статтю",
        "Reviewer": "ім’я **і фах** спеціаліста, який перевірив статтю",
        "Reviewed": "дата цієї перевірки",
        "Review_due": "коли перевірити знову; якщо не вказано — через рік після `Reviewed`",
        "Condition": "про що стаття, наприклад `біль у попереку`",
        "Picture": "фото поруч із текстом (наприклад `photo.jpg`), яке показує, про що стаття: воно з’являється, "
                   "коли посиланням діляться, і маленьким у списках статей (див. «Картинка статті»)",
        "Picture_alt": "що видно на `Picture` — для людей, які не можуть його побачити (обов’язково разом "
                       "із `Picture`)",
        "Status": {
            contract.ARTICLE: "`draft`, поки стаття не готова",
            contract.PAGE: "`draft`, поки сторінка не готова; `hidden` прибирає сторінку зі списків і мапи сайту",
        },
        "Template": "макет сторінки, для особливих сторінок клініки",
        "Translated_from": "у перекладі: версія українського тексту, з якої зроблено переклад "
                           "(її пише `invoke new --translation-of`, а поточну показує `invoke report`)",
        "Claims_checked": "фрази, які рецензент перевірив і залишає, хоча перевірка обіцянок щодо здоров’я "
                          "про них попереджає; через `;`",
        "Translation": "`true` у перекладі, для якого ще немає українського оригіналу",
    },
}

HEADERS = {
    "en": {"field": "Field", "what": "What to write", "required": "Required", "yes": "yes", "no": "no"},
    "uk": {"field": "Поле", "what": "Що писати", "required": "Обов’язкове", "yes": "так", "no": "ні"},
}


def characters(count, lang):
    """'At most 120 characters.', in the guide's language (Ukrainian plurals)."""
    if lang == "en":
        return f"At most {count} characters."
    if count % 10 == 1 and count % 100 != 11:
        word = "символ"
    elif 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        word = "символи"
    else:
        word = "символів"
    return f"Не більше {count} {word}."


def values(allowed, lang):
    listed = ", ".join(f"`{value}`" for value in allowed)
    return f"Values: {listed}." if lang == "en" else f"Значення: {listed}."


def words_for(field, kind, lang):
    words = WORDS[lang][field.name]
    return words[kind] if isinstance(words, dict) else words


def explanation(field, kind, lang):
    """The 'what to write' cell: the guide's words, then, each as a sentence
    of its own, the contract's limit and allowed values."""
    extras = []
    if field.max_length:
        extras.append(characters(field.max_length, lang))
    if field.type == "choice":
        extras.append(values(contract.STATUS_OF[kind] if field.key == "status" else field.choices, lang))
    text = words_for(field, kind, lang)
    return " ".join([f"{text}." if extras else text, *extras])


def table(name, lang):
    """The Markdown table `name` (one of TABLES) in `lang`, ending in a newline."""
    words = HEADERS[lang]
    if name == "page":
        rows = [f"| {words['field']} | {words['required']} | {words['what']} |", "| --- | --- | --- |"]
        for field in contract.fields_for(contract.PAGE):
            required = words["yes"] if contract.PAGE in field.required else words["no"]
            rows.append(f"| `{field.name}` | {required} | {explanation(field, contract.PAGE, lang)} |")
    else:
        want_required = name == "article-required"
        rows = [f"| {words['field']} | {words['what']} |", "| --- | --- |"]
        for field in contract.fields_for(contract.ARTICLE):
            if (contract.ARTICLE in field.required) == want_required:
                rows.append(f"| `{field.name}` | {explanation(field, contract.ARTICLE, lang)} |")
    return "\n".join(rows) + "\n"


def tables_in(text):
    """{name: table} for every marked table of a guide's text."""
    return {match["name"]: match["table"] for match in MARKER.finditer(text)}


def rewrite(text, lang):
    """The guide's text with every marked table written from the contract."""
    return MARKER.sub(lambda m: f"<!-- fields: {m['name']} -->\n\n{table(m['name'], lang)}\n<!-- /fields -->", text)


def main(arguments):
    if arguments == ["--write"]:
        for lang, path in GUIDES.items():
            path.write_text(rewrite(path.read_text(encoding="utf-8"), lang), encoding="utf-8")
            print(f"rewrote the field tables of {path.relative_to(ROOT)}")
        return 0
    if len(arguments) == 1 and arguments[0] in GUIDES:
        for name in TABLES:
            print(f"<!-- fields: {name} -->\n\n{table(name, arguments[0])}\n<!-- /fields -->\n")
        return 0
    print("usage: tools/guide_fields.py --write   (rewrite the tables in both guides)\n"
          "       tools/guide_fields.py uk|en     (print the tables)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
