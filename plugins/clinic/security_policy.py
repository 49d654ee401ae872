"""The site's security policy, written once and served two ways.

GitHub Pages cannot send headers, so every page carries the
Content-Security-Policy as ``<meta http-equiv>``; hosts that read a
``_headers`` file (Netlify, Cloudflare Pages) get the same policy as a real
header, plus what a meta tag cannot say (``frame-ancestors``) and the other
security headers.

The policy allows nothing but the site itself, with two exceptions: the
call-back endpoint's origin, only for posting the form (``form-action``)
and sending it from the script (``connect-src``), except in a preview of
a change (PREVIEW_NUMBER), whose form sends nowhere; ``data:`` images (the
inline site icon); the stylesheet each page carries in its ``<head>``, by
its hash (``assets``: a page's ``<meta>`` allows its own, ``_headers`` every
one the build wrote; not ``'self'``: the site has no stylesheet file); and
the inline scripts, by their hashes (from ``assets``): the form's loader
on every page (``INLINE_SCRIPT_HASHES``), and the root 404 page's
language chooser (``NOT_FOUND_SCRIPT_HASHES``) in that page's policy and
in ``_headers`` only (a host serves that page at any missing address, under
the header policy of that address), so that no other page carries its
hash. No other inline script or style is allowed: JSON-LD is data, which
browsers never run.

The search pages, and the search index's own files, also allow
``'wasm-unsafe-eval'``: Pagefind searches with a WebAssembly module, and
browsers compile WebAssembly only where the policy allows it. It allows
compiling WebAssembly, not running strings as script (``eval`` stays
blocked), and only where search is used: every other page keeps the
stricter policy.

The web editor's page (``admin/``) has a policy of its own
(``admin_policy_directives``), since the editor's token lives in that
page's origin: scripts only from the site (the bundle), no inline script,
no ``eval``; what else it needs is listed there, each with why. No other
page gets anything of it.
"""

from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals

from . import site_settings
from .assets import PAGE_STYLE_SOURCE, pages_written
from .addresses import ADMIN_FOLDER, HEADERS_PATH, SEARCH_FOLDER, search_url, site_path, thanks_url
from .build import build_state

# Features the site never uses, denied to it and to anything it could embed.
DENIED_FEATURES = [
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
    "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone",
    "midi", "payment", "picture-in-picture", "publickey-credentials-get",
    "screen-wake-lock", "usb", "xr-spatial-tracking",
]
REFERRER_POLICY = "strict-origin-when-cross-origin"
# Fingerprinted scripts (theme/site.<hash>.js, theme/search.<hash>.js) and
# photos (named by their source's hash) never change: cache a year.
IMMUTABLE_PATHS = ["/theme/*", "/photos/*"]


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def endpoint_origin(settings):
    """The form endpoint's origin, once the endpoint passes the allow-list
    (site_settings.endpoint_url): whatever the settings file, or a
    --extra-settings, gave, nothing but one origin reaches the policy."""
    endpoint = site_settings.endpoint_url(settings["CALLBACK_ENDPOINT"], "CALLBACK_ENDPOINT", allow_local_http=True)
    return origin(endpoint)


def policy_directives(settings, style_sources=None, for_header=False, for_search=False, for_not_found=False):
    """The Content-Security-Policy as an ordered list of directives;
    `style_sources` (every stylesheet's hash, for `_headers`), else the
    placeholder the writer replaces with the page's own."""
    # A preview's form sends nowhere: its policy names no endpoint at all.
    endpoint = [] if settings.get("PREVIEW_NUMBER") else [endpoint_origin(settings)]
    not_found = settings.get("NOT_FOUND_SCRIPT_HASHES", []) if for_not_found or for_header else []
    scripts = ["'self'", *sorted([*settings.get("INLINE_SCRIPT_HASHES", []), *not_found]),
               *(["'wasm-unsafe-eval'"] if for_search else [])]
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(scripts),
        "style-src " + (" ".join(sorted(style_sources)) if style_sources else PAGE_STYLE_SOURCE),
        "img-src 'self' data:",
        " ".join(["connect-src", "'self'", *endpoint]),
        " ".join(["form-action", "'self'", *endpoint]),
        "object-src 'none'",
        "base-uri 'self'",
    ]
    if for_header:  # ignored in a <meta> tag, so only sent as a header
        directives.append("frame-ancestors 'none'")
    return directives


# The web editor's policy, measured in Chromium with Sveltia CMS 0.221.1
# (tests/admin/test_admin_page.py: zero violations, zero requests to
# another host). Everything not named is refused (default-src 'none').
ADMIN_POLICY = [
    "default-src 'none'",
    # The bundle only: editor.js and its chunks, all from the site. No
    # inline script and no 'unsafe-eval' (the editor needs neither), so
    # nothing an article holds can run in the page that keeps the token.
    "script-src 'self'",
    # Svelte injects <style> elements and style="" attributes at run time,
    # which only 'unsafe-inline' allows for styles (not for scripts).
    "style-src 'unsafe-inline'",
    # Its fonts, from admin/assets/ (the bundle's own copies).
    "font-src 'self'",
    # The site's own images; photos chosen for upload are shown from
    # blob: addresses, and its icons are data: SVGs.
    "img-src 'self' blob: data:",
    # config.yml from the site; the GitHub API (REST and GraphQL) to read
    # the repository and save; a data: SVG it fetches for its icons.
    "connect-src 'self' https://api.github.com data:",
    # The preview pane is a frame written from a blob:.
    "frame-src blob:",
    "form-action 'none'",
    "base-uri 'none'",
]


def admin_content_security_policy(for_header=False):
    """The web editor page's policy (ADMIN_POLICY); `for_header` adds what
    only a header can say."""
    directives = ADMIN_POLICY + (["frame-ancestors 'none'"] if for_header else [])
    return "; ".join(directives)


def content_security_policy(settings, style_sources=None, for_header=False, for_search=False, for_not_found=False):
    return "; ".join(policy_directives(settings, style_sources, for_header, for_search, for_not_found))


def search_paths(settings):
    """The paths, as `_headers` matches them, where search runs: each
    language's search page, and the index (Pagefind's worker compiles the
    WebAssembly there, under the policy its own file is served with)."""
    root = site_path(settings)
    pages = [f"{root}/{search_url(lang, settings)}*" for lang in settings["LANGUAGES"]]
    return pages + [f"{root}/{SEARCH_FOLDER}*"]


def headers_file(settings, style_sources):
    """The `_headers` file for Netlify and Cloudflare Pages; `style_sources`:
    the hashes of the stylesheets the pages carry."""
    permissions = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)
    lines = [
        "/*",
        f"  Content-Security-Policy: {content_security_policy(settings, style_sources, for_header=True)}",
        f"  Referrer-Policy: {REFERRER_POLICY}",
        "  X-Content-Type-Options: nosniff",
        f"  Permissions-Policy: {permissions}",
    ]
    # A second Content-Security-Policy would be enforced together with the
    # first (a browser obeys both), so the search paths first detach the
    # site-wide one ("! name", Cloudflare Pages' syntax), then set their own.
    search_policy = content_security_policy(settings, style_sources, for_header=True, for_search=True)
    for path in search_paths(settings):
        lines += [path, "  ! Content-Security-Policy", f"  Content-Security-Policy: {search_policy}"]
    # The web editor's page and files: its own policy, instead of the site's.
    lines += [f"{site_path(settings)}/{ADMIN_FOLDER}*", "  ! Content-Security-Policy",
              f"  Content-Security-Policy: {admin_content_security_policy(for_header=True)}"]
    for path in IMMUTABLE_PATHS:
        lines += [path, "  Cache-Control: public, max-age=31536000, immutable"]
    # The form's script follows the provider's redirect to the thank-you page
    # to learn that the request was taken; that request comes with "Origin:
    # null", so the script may read the page only where it allows any origin.
    # GitHub Pages and Cloudflare Pages send this on every file; Netlify does
    # not. The page is public and holds nothing of the visitor's.
    for lang in settings["LANGUAGES"]:
        lines += [f"{site_path(settings)}/{thanks_url(lang, settings)}*", "  Access-Control-Allow-Origin: *"]
    return "\n".join(lines) + "\n"


def share_policy(pelican):
    """Templates print CONTENT_SECURITY_POLICY (SEARCH_CONTENT_SECURITY_POLICY
    on the search pages, NOT_FOUND_CONTENT_SECURITY_POLICY on the root 404
    page, ADMIN_CONTENT_SECURITY_POLICY on the web editor's) and
    REFERRER_POLICY in <head>."""
    policies = ["CONTENT_SECURITY_POLICY", "SEARCH_CONTENT_SECURITY_POLICY", "NOT_FOUND_CONTENT_SECURITY_POLICY"]
    try:
        pelican.settings["CONTENT_SECURITY_POLICY"] = content_security_policy(pelican.settings)
        pelican.settings["SEARCH_CONTENT_SECURITY_POLICY"] = content_security_policy(pelican.settings, for_search=True)
        pelican.settings["NOT_FOUND_CONTENT_SECURITY_POLICY"] = content_security_policy(pelican.settings,
                                                                                       for_not_found=True)
    except site_settings.SettingError as error:
        # Reported like any problem; the checks stop the build before reading.
        build_state(pelican.settings).report.error("pelicanconf.py", 1, error.message)
        for policy in policies:
            pelican.settings[policy] = ""
    pelican.settings["ADMIN_CONTENT_SECURITY_POLICY"] = admin_content_security_policy()
    pelican.settings["REFERRER_POLICY"] = REFERRER_POLICY


def write_headers_file(settings, style_sources):
    """Once every page is written: only then are their stylesheets known."""
    path = Path(settings["OUTPUT_PATH"]) / HEADERS_PATH
    path.write_text(headers_file(settings, style_sources), encoding="utf-8")


def register():
    signals.initialized.connect(share_policy)
    pages_written.connect(write_headers_file)
