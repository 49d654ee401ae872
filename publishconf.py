"""Pelican settings for the published site: pelicanconf.py plus what
production needs. Used by `invoke preview` and `invoke publish`.

The site's address and the call-back form's endpoint come from the
environment, so the same build can serve GitHub Pages, Netlify or Cloudflare
Pages, and no endpoint is committed:

    SITE_URL=https://example.org CALLBACK_ENDPOINT=https://formspree.io/f/xxxx invoke preview

Each is checked against an allow-list (plugins/clinic/site_settings.py):
a stray space, `*` or line break would otherwise widen the
Content-Security-Policy or break the CNAME file.
"""

import importlib.util
import os
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))

from pelicanconf import *  # noqa: E402,F403


def _load_site_settings():
    """plugins/clinic/site_settings.py, loaded from its file.

    Only that plain module: importing the `clinic` package here would load
    the whole Pelican plugin while the settings are still being read.
    """
    spec = importlib.util.spec_from_file_location(
        "clinic_site_settings", here / "plugins" / "clinic" / "site_settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


site_settings = _load_site_settings()
# Its messages speak the editor's language (EDITOR_LANGUAGE, pelicanconf.py;
# the environment variable overrides it), as every message of the build does.
_e = site_settings.messages._e
try:
    site_settings.messages.use_language({"EDITOR_LANGUAGE": EDITOR_LANGUAGE})  # noqa: F405
except site_settings.messages.UnknownLanguage as error:
    raise SystemExit(f"publishconf.py: {error}") from None

examples = {
    "SITE_URL": "https://clinic.example",
    "CALLBACK_ENDPOINT": "https://formspree.io/f/abcdwxyz",
}


def from_environment(name, check, required=True):
    """Read the variable `name` and check it with `check` (site_settings).

    A variable that is missing, or not what it must be, stops the build with
    one sentence naming it (SystemExit prints just that: no traceback).
    """
    value = os.environ.get(name, "")
    if required and not value.strip():
        said = _e("set the environment variable {name} to an https:// address ({state}), e.g. {example} invoke preview.",
                  name=name, state=_e("it is empty") if name in os.environ else _e("it is not set"),
                  example=f"{name}={examples[name]}")
        raise SystemExit(f"publishconf.py: {said}")
    try:
        return check(value, _e("the environment variable {name}", name=name))
    except site_settings.SettingError as error:
        raise SystemExit(f"publishconf.py: {error}") from None


SITEURL = from_environment("SITE_URL", site_settings.site_url)
ABSOLUTE_SITEURL = SITEURL
# A preview of a change (`invoke publish --preview N`): see below.
PREVIEW_NUMBER = from_environment("PREVIEW_NUMBER", site_settings.preview_number, required=False)
# A preview's form sends nowhere, so it needs no endpoint.
CALLBACK_ENDPOINT = "" if PREVIEW_NUMBER else from_environment("CALLBACK_ENDPOINT", site_settings.endpoint_url)
# The site's own domain, for GitHub Pages' CNAME file (empty: no CNAME).
SITE_DOMAIN = from_environment("SITE_DOMAIN", site_settings.host_name, required=False)
if SITE_DOMAIN and SITEURL.split("/")[2] != SITE_DOMAIN:
    # GitHub Pages serves the site only at the CNAME's domain: links built
    # from another address would all lead through a redirect.
    said = _e("SITE_DOMAIN is {domain} but SITE_URL {url} is on another host; the site is served at its domain, so "
              "set SITE_URL=https://{host} (with the path, if any) or leave SITE_DOMAIN empty.", domain=repr(SITE_DOMAIN),
              url=repr(SITEURL), host=SITE_DOMAIN)
    raise SystemExit(f"publishconf.py: {said}")
# A preview of a change (`invoke publish --preview N` sets PREVIEW_NUMBER):
# the same site, served from its own folder of the published branch. Its
# links stay inside that folder (SITEURL); what names the page for search
# engines and link previews (canonical, og:url, JSON-LD, hreflang) is the
# live page's address (ABSOLUTE_SITEURL). Every page says it is a preview,
# is kept out of search engines, and its form sends nowhere: so the form's
# endpoint is neither needed nor used (above).
if PREVIEW_NUMBER:
    SITEURL = f"{ABSOLUTE_SITEURL}/{site_settings.preview_path(PREVIEW_NUMBER)}"
RELATIVE_URLS = False
# Drafts are never published.
LIST_DRAFTS = False
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DELETE_OUTPUT_DIRECTORY = True
# The web editor saves to the repository the site is built from (GitHub
# Actions sets GITHUB_REPOSITORY, e.g. clinic/site); elsewhere, pelicanconf.py's.
EDITOR_REPOSITORY = os.environ.get("GITHUB_REPOSITORY") or EDITOR_REPOSITORY  # noqa: F405
# The content report is for editors, in the preview: never published.
CONTENT_REPORT_SAVE_AS = ""
# The publish policy (pelicanconf.py): errors, and these kinds of warning,
# stop a production build, so `invoke preview` says what a publish would.
CONTENT_CHECK_FAIL_ON = PUBLISH_BLOCKING_WARNINGS  # noqa: F405
