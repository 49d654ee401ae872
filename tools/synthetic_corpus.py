"""A synthetic health library for `invoke bench`: N articles × 3 languages.

Deterministic (the same N gives the same files, byte for byte), and valid
under the content contract (plugins/clinic/contract.py), so the build it
measures is a real, successful build with no warnings: every required field,
a reviewer and a recent review, translations that record the Ukrainian
version they translate, short sentences, no phrase the claims check warns
about. Each article is about 1,000 words in sections, with a list, a table,
a box (admonition) and links to other articles of the library; the articles
take the site's topics (TOPICS) in turn.

The words are neutral filler in each language: the point is the shape and
the size of real articles, not their meaning. The site's own pages (homes,
contacts, privacy…) and static files are copied from content/.
"""

import datetime
import random
import shutil
from pathlib import Path

from clinic import contract
from clinic.reader import open_source
from clinic.report import Report

LANGS = ("uk", "en", "ru")
WORDS_PER_ARTICLE = 1000
SECTIONS = 5
REVIEWED = datetime.date(2026, 10, 1)

# Neutral words; titles and sentences are drawn from them.
VOCABULARY = {
    "uk": (
        "м’язи спина шия плечі поперек рух тіло сон робота стілець поза ранок вечір прогулянка вода дихання "
        "напруга розслаблення масажист клініка огляд лікар питання відповідь звичка день тиждень сходи сумка "
        "подушка матрац монітор клавіатура перерва розминка вправа крок коліно стегно лопатка хребет таз "
        "кровообіг тепло холод сидіння стояння ходьба рюкзак"
    ).split(),
    "en": (
        "muscles back neck shoulders lower back movement body sleep work chair posture morning evening walk water "
        "breathing tension relaxation therapist clinic examination doctor question answer habit day week stairs "
        "bag pillow mattress monitor keyboard break warm-up exercise step knee hip shoulder blade spine pelvis "
        "circulation warmth cold sitting standing walking backpack"
    ).split(),
    "ru": (
        "мышцы спина шея плечи поясница движение тело сон работа стул поза утро вечер прогулка вода дыхание "
        "напряжение расслабление массажист клиника осмотр врач вопрос ответ привычка день неделя лестница сумка "
        "подушка матрас монитор клавиатура перерыв разминка упражнение шаг колено бедро лопатка позвоночник таз "
        "кровообращение тепло холод сидение стояние ходьба рюкзак"
    ).split(),
}
HEADINGS = {"uk": "Розділ", "en": "Section", "ru": "Раздел"}
SEE_ALSO = {"uk": "Див. також", "en": "See also", "ru": "См. также"}
TABLE_HEAD = {"uk": ("Що", "Коли"), "en": ("What", "When"), "ru": ("Что", "Когда")}
NOTE = {"uk": "Зверніть увагу", "en": "Please note", "ru": "Обратите внимание"}
REVIEWER = "Bench Reviewer (a synthetic name, not a real person)"


def slug_of(number):
    return f"bench-article-{number:05d}"


def sentence(rng, words, low=6, high=14):
    chosen = [rng.choice(words) for _ in range(rng.randint(low, high))]
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."


def paragraph(rng, words, sentences=5):
    return " ".join(sentence(rng, words) for _ in range(sentences))


def article_text(number, lang, total, topics):
    """One article's fields and Markdown, before Translated_from."""
    rng = random.Random(number)  # the same words in each language's shape
    words = VOCABULARY[lang]
    title = f"{sentence(rng, words, 3, 6)[:-1]} {number}"
    topic = topics[number % len(topics)][lang]
    date = (REVIEWED - datetime.timedelta(days=number % 700)).isoformat()
    fields = {
        "title": title,
        "date": date,
        "category": topic,
        "summary": sentence(rng, words, 8, 14),
        "author": "Bench Author",
        "reviewer": REVIEWER,
        "reviewed": REVIEWED.isoformat(),
    }
    head = "\n".join(f"{contract.FIELDS_BY_KEY[key].name}: {value}" for key, value in fields.items())
    body = []
    per_section = WORDS_PER_ARTICLE // SECTIONS
    for section in range(1, SECTIONS + 1):
        body.append(f"## {HEADINGS[lang]} {section}")
        written = 0
        while written < per_section:
            text = paragraph(rng, words)
            body.append(text)
            written += len(text.split())
        if section == 2:
            body.append("\n".join(f"- {sentence(rng, words, 3, 6)}" for _ in range(4)))
        if section == 3:
            what, when = TABLE_HEAD[lang]
            rows = [f"| {rng.choice(words)} | {rng.choice(words)} |" for _ in range(3)]
            body.append("\n".join([f"| {what} | {when} |", "|---|---|", *rows]))
        if section == 4:
            body.append(f'!!! note "{NOTE[lang]}"\n    {sentence(rng, words)}')
    others = sorted({(number + step) % total for step in (1, 7, 31)} - {number})
    links = ", ".join(f"[{slug_of(other)}]({{filename}}../{slug_of(other)}/index.{lang}.md)" for other in others)
    body.append(f"{SEE_ALSO[lang]}: {links}.")
    return head, "\n\n".join(body) + "\n"


def write_corpus(folder, articles, content, settings):
    """Write the library of `articles` articles × 3 languages into `folder`
    (a content folder), with content/'s pages and static files."""
    folder = Path(folder)
    # The site's topics (TOPICS), in turn: Category must name one.
    topics = [names for names in settings["TOPICS"].values() if all(lang in names for lang in LANGS)]
    shutil.copytree(content / "pages", folder / "pages")
    shutil.copytree(content / "extra", folder / "extra")
    source_settings = dict(settings or {}, PATH=str(folder.resolve()))
    for number in range(articles):
        article_folder = folder / "articles" / slug_of(number)
        article_folder.mkdir(parents=True)
        original = article_folder / "index.uk.md"
        head, body = article_text(number, "uk", articles, topics)
        original.write_text(f"{head}\n\n{body}", encoding="utf-8")
        # What a translation translates, as the build computes it.
        version = open_source(original.resolve(), source_settings, Report()).text_version
        for lang in LANGS[1:]:
            head, body = article_text(number, lang, articles, topics)
            translated_from = contract.FIELDS_BY_KEY["translated_from"].name
            (article_folder / f"index.{lang}.md").write_text(f"{head}\n{translated_from}: {version}\n\n{body}", encoding="utf-8")
    return folder
