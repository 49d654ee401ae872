"""Build a tiny fixture site with our real settings, theme and plugins."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[2]


def write_content(content_dir, files):
    """Write {relative path: text} under content_dir."""
    for relative, text in files.items():
        path = content_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build_fixture_site(tmp_path, files, **overrides):
    """Build `files` (see write_content) into tmp_path/output; return it."""
    settings = fixture_settings(tmp_path, files, **overrides)
    Pelican(settings).run()
    return Path(settings["OUTPUT_PATH"])


def fixture_settings(tmp_path, files, **overrides):
    """Write `files` under tmp_path/content; the settings that build them
    into tmp_path/output (the build's report is kept in them: see
    clinic.build.build_state)."""
    content = tmp_path / "content"
    output = tmp_path / "output"
    write_content(content, files)
    return read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "THEME": str(ROOT / "theme"),
            "PLUGIN_PATHS": [str(ROOT / "plugins")],
            "CACHE_PATH": str(tmp_path / "cache"),
            "STATIC_PATHS": [],
            "EXTRA_PATH_METADATA": {},
            # Any Category: these sites are about other things than the
            # site's topics (tests of TOPICS pass the setting themselves).
            "TOPICS": {},
            **overrides,
        },
    )


def copy_project(tmp_path):
    """A copy of this project's sources (no venv, no build) to break safely."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "node_modules", "output", ".git", "__pycache__", ".build-*", "cache",
                                      ".hypothesis", ".pytest_cache"),
    )
    # The web editor's packages and its bundle, shared rather than copied
    # (hundreds of MB; the bundle is made once per version of its inputs).
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    (ROOT / "cache" / "admin").mkdir(parents=True, exist_ok=True)
    (copy / "cache").mkdir()
    (copy / "cache" / "admin").symlink_to(ROOT / "cache" / "admin")
    return copy


def run_invoke(cwd, *args, environment=None, **popen):
    """Run one of the project's tasks (tasks/) in `cwd` with this project's invoke.

    The editor's language is the project's setting (EDITOR_LANGUAGE in
    pelicanconf.py, Ukrainian) unless `environment` sets the variable: one
    set in the shell that runs the tests does not count."""
    invoke = ROOT / ".venv/bin/invoke"
    command = [str(invoke)] if invoke.exists() else [sys.executable, "-m", "invoke"]
    env = {**{name: value for name, value in os.environ.items() if name != "EDITOR_LANGUAGE"}, **(environment or {})}
    if popen:
        return subprocess.Popen(command + list(args), cwd=cwd, **{"env": env, **popen})
    return subprocess.run(command + list(args), cwd=cwd, capture_output=True, text=True, env=env)


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def article(lang, slug, title, category, date="2026-01-15"):
    return (
        f"Title: {title}\nDate: {date}\nLang: {lang}\nSlug: {slug}\n"
        f"Category: {category}\nSummary: About {slug}.\n\nText of {slug}.\n"
    )


def home(lang):
    return f"Title: Home {lang}\nLang: {lang}\nSlug: home\nTemplate: home\n\nWelcome.\n"


# Fixture people: clearly fictional (the repository ships no real person).
# Each language writes the name and role in its own way; the slug is the same.
TEST_PEOPLE = {
    "test-reviewer": {
        "uk": ("Тестова Особа", "тестова лікарка-неврологиня"),
        "en": ("Test Person", "test neurologist"),
        "ru": ("Тестовая Особа", "тестовый врач-невролог"),
    },
    "test-author": {
        "uk": ("Вигаданий Автор", "тестовий масажист"),
        "en": ("Made-up Author", "test massage therapist"),
        "ru": ("Выдуманный Автор", "тестовый массажист"),
    },
}
# A person's text, in the page's language.
MADE_UP = {"uk": "Вигадана людина для тестів.", "en": "A made-up person for tests.",
           "ru": "Вымышленный человек для тестов."}
TEST_QUALIFICATIONS = ("Тестовий диплом — Вигаданий коледж, 2015; "
                       "Test certificate — Made-up Association, 2020")


def person(lang, slug="test-reviewer", sees_patients_at="uzhvii", extra=""):
    """A fixture person's file in `lang` (TEST_PEOPLE)."""
    name, role = TEST_PEOPLE[slug][lang]
    places = f"Sees_patients_at: {sees_patients_at}\n" if sees_patients_at else ""
    return (f"Title: {name}\nRole: {role}\nQualifications: {TEST_QUALIFICATIONS}\n{places}{extra}\n"
            f"{MADE_UP[lang]}\n")


def people_files(langs=("uk", "en", "ru"), **options):
    """Every TEST_PEOPLE in `langs`, as files for build_fixture_site."""
    return {f"people/{slug}/index.{lang}.md": person(lang, slug, **options) for slug in TEST_PEOPLE for lang in langs}
