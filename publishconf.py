"""Pelican settings for the published site: pelicanconf.py plus what
production needs. Used by `invoke preview` and, later, by publishing.

The site's address comes from the environment, so the same build can serve
GitHub Pages, Netlify or Cloudflare Pages:

    SITE_URL=https://example.org invoke preview
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
            f"publishconf.py: set the environment variable {name} to the site's "
            f"https:// address (it is {value or 'not set'!r}), e.g. "
            f"{name}=https://example.org invoke preview"
        )
    return value


SITEURL = https_url_from_environment("SITE_URL")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
