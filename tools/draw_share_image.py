#!/usr/bin/env python3
"""Draw the link-preview image (1200×630, Open Graph's size) with Chromium.

Reads the clinic's name and phone from the settings (content/clinic.yaml), renders a plain card
in Debian's Chromium and saves it to content/extra/images/share.png. Run it
again after the name or the phone changes:

    .venv/bin/python tools/draw_share_image.py
"""

import html
import sys
from pathlib import Path

from pelican.settings import read_settings
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

TARGET = ROOT / "content/extra/images/share.png"
WIDTH, HEIGHT = 1200, 630


def card(settings):
    name = html.escape(settings["CLINIC_NAME"][settings["DEFAULT_LANG"]])
    phone = html.escape(settings["PHONE"]["display"])
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; width: {WIDTH}px; height: {HEIGHT}px; display: flex; flex-direction: column;
  justify-content: center; padding: 0 96px; box-sizing: border-box; background: #0b6660; color: #fff;
  font-family: system-ui, "DejaVu Sans", sans-serif; }}
svg {{ width: 120px; height: 120px; margin-bottom: 40px; }}
h1 {{ font-size: 76px; line-height: 1.1; margin: 0 0 32px; }}
p {{ font-size: 48px; margin: 0; }}
</style></head><body>
<svg viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#fff"/>
<path d="M7 14c5 9 13 9 18 0" stroke="#0b6660" stroke-width="3.5" fill="none" stroke-linecap="round"/></svg>
<h1>{name}</h1><p>{phone}</p></body></html>"""


def main():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.set_content(card(settings))
        page.screenshot(path=str(TARGET))
        browser.close()
    print(f"Wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
