"""Pelican settings for the published site: pelicanconf.py plus what
production needs. Used by `invoke preview` and, later, by publishing.

The site's address and the call-back form's endpoint come from the
environment, so the same build can serve GitHub Pages, Netlify or Cloudflare
Pages, and no endpoint is committed:

    SITE_URL=https://example.org CALLBACK_ENDPOINT=https://formspree.io/f/xxxx invoke preview
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F403


def https_url_from_environment(name):
    """Read an https:// URL from the environment, or stop with one sentence."""
    value = os.environ.get(name, "").strip().rstrip("/")
    if not value.startswith("https://"):
        # SystemExit prints just this sentence: no traceback for a missing setting.
        raise SystemExit(
            f"publishconf.py: set the environment variable {name} to an https:// "
            f"address (it is {value or 'not set'!r}), e.g. "
            f"{name}=https://… invoke preview"
        )
    return value


SITEURL = https_url_from_environment("SITE_URL")
ABSOLUTE_SITEURL = SITEURL
CALLBACK_ENDPOINT = https_url_from_environment("CALLBACK_ENDPOINT")
# The site's own domain, for GitHub Pages' CNAME file (empty: no CNAME).
SITE_DOMAIN = os.environ.get("SITE_DOMAIN", "").strip()
RELATIVE_URLS = False
# Drafts are never published.
LIST_DRAFTS = False
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DELETE_OUTPUT_DIRECTORY = True
