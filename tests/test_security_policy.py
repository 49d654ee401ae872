"""The Content-Security-Policy and the other security headers."""

import base64
import hashlib
import re

import pytest

from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from conftest import EDITOR_PAGE, LANGS, PUBLISHED_ENDPOINT, PUBLISHED_SITE_URL, lang_prefix

# Every kind of page; "article" and "category" are the newest article of each
# language in the content and its topic page (conftest.sample_pages).
PAGE_TYPES = ["", "article", "contacts/", "privacy/", "category", "thanks/", "404.html", "search/"]
# The page hosts serve for every missing address; its policy also allows its
# language chooser (tests/test_not_found_page.py runs it).
ROOT_NOT_FOUND = "404.html"


def meta_policy(soup):
    tag = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    return tag["content"] if tag else None


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("pages", ["html_pages", pytest.param("published_pages", marks=pytest.mark.published_output)])
def test_every_page_carries_the_policy_before_anything_it_governs(request, pages):
    for path, soup in request.getfixturevalue(pages).items():
        head = [tag for tag in soup.head.children if getattr(tag, "name", None)]
        assert head[0].get("charset") == "utf-8", path
        assert head[1].get("http-equiv") == "Content-Security-Policy", path
        assert soup.find("meta", attrs={"name": "referrer"})["content"] == "strict-origin-when-cross-origin"


def is_search_page(soup):
    return soup.find(attrs={"data-module": "search"}) is not None


def inline_scripts(soup):
    """The texts of the page's inline scripts (JSON-LD is data, not code)."""
    return [script.string for script in soup.find_all("script")
            if not script.get("src") and script.get("type") != "application/ld+json"]


def without_styles(policy):
    """The policy's directives, but style-src (each page allows its own stylesheet)."""
    return {name: values for name, values in directives(policy).items() if name != "style-src"}


def style_hash(text):
    """The policy's source for exactly this <style> text (CSP level 2)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@pytest.mark.published_output
def test_the_published_policy_allows_only_the_site_and_the_form_endpoint(published_pages):
    endpoint = "{0.scheme}://{0.netloc}".format(urlsplit(PUBLISHED_ENDPOINT))
    policies = {str(without_styles(meta_policy(soup))) for path, soup in published_pages.items()
                if not is_search_page(soup) and path != ROOT_NOT_FOUND}
    assert len(policies) == 1  # one policy for the whole site, but the search pages, the root 404 and each page's stylesheet
    page = next(soup for path, soup in published_pages.items() if not is_search_page(soup) and path != ROOT_NOT_FOUND)
    policy = directives(meta_policy(page))
    # The one inline script of every page, the form's loader, by its hash.
    loaders = {text for path, soup in published_pages.items() if path != ROOT_NOT_FOUND for text in inline_scripts(soup)}
    assert len(loaders) == 1
    loader = next(iter(loaders))
    # Each page's own stylesheet, by its hash: no file, no other style.
    for path, soup in published_pages.items():
        assert directives(meta_policy(soup))["style-src"] == [style_hash(soup.head.style.string)], path
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'", style_hash(loader)],
        "style-src": [style_hash(page.head.style.string)],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'", endpoint],
        "form-action": ["'self'", endpoint],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
    assert endpoint.startswith("https://")
    for values in policy.values():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values
    # The search pages: the same, and WebAssembly (Pagefind) may be compiled.
    search_policies = {meta_policy(soup) for soup in published_pages.values() if is_search_page(soup)}
    assert len(search_policies) == 1
    search_policy = directives(search_policies.pop())
    assert search_policy == dict(policy, **{"script-src": policy["script-src"] + ["'wasm-unsafe-eval'"],
                                            "style-src": search_policy["style-src"]})
    # The root 404 page: the same, and its language chooser by its hash
    # (that page only: no other page carries the hash).
    not_found = published_pages[ROOT_NOT_FOUND]
    chooser = [text for text in inline_scripts(not_found) if text != loader]
    assert len(chooser) == 1
    assert directives(meta_policy(not_found)) == dict(policy, **{
        "script-src": ["'self'", *sorted(policy["script-src"][1:] + [style_hash(chooser[0])])],
        "style-src": directives(meta_policy(not_found))["style-src"]})


@pytest.mark.parametrize("pages", ["html_pages", pytest.param("published_pages", marks=pytest.mark.published_output)])
def test_no_page_has_inline_code_the_policy_would_block(request, pages):
    for path, soup in request.getfixturevalue(pages).items():
        policy = directives(meta_policy(soup))
        for text in inline_scripts(soup):
            assert style_hash(text) in policy["script-src"], path
        # One <style>, in the head, the one the policy allows by its hash.
        styles = soup.find_all("style")
        assert len(styles) == 1 and styles[0].parent is soup.head, path
        assert policy["style-src"] == [style_hash(styles[0].string)], path
        assert not soup.find(style=True), path
        for tag in soup.find_all(True):
            assert not [name for name in tag.attrs if name.lower().startswith("on")], path
            for name in ("href", "src", "action"):
                assert not str(tag.get(name, "")).lower().startswith("javascript:"), path


def parse_headers_file(text):
    """Netlify/Cloudflare `_headers`: a path line, then indented headers."""
    rules, current = {}, None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith((" ", "\t")):
            current = rules.setdefault(line.strip(), {})
        elif line.strip().startswith("!"):  # detach a header a wider rule set
            current[line.strip()] = True
        else:
            name, value = line.strip().split(":", 1)
            current[name.strip()] = value.strip()
    return rules


@pytest.mark.published_output
def test_headers_file_matches_the_meta_policy_and_adds_the_rest(published_site, published_pages):
    rules = parse_headers_file((published_site / "_headers").read_text())
    everything = rules["/*"]
    # The pages' policy, with every stylesheet the pages carry (each page's
    # own <meta> allows only its own).
    stylesheets = sorted({style_hash(soup.head.style.string) for soup in published_pages.values()})

    # A host serves the root 404 page at any missing address, under that
    # address's header policy: each allows the page's language chooser too.
    chooser = set(directives(meta_policy(published_pages[ROOT_NOT_FOUND]))["script-src"]) - set(
        directives(meta_policy(published_pages["index.html"]))["script-src"])
    assert len(chooser) == 1

    def as_header(soup):
        scripts = directives(meta_policy(soup))["script-src"]
        hashes = sorted({source for source in scripts if source.startswith("'sha256-")} | chooser)
        keywords = [source for source in scripts if source != "'self'" and not source.startswith("'sha256-")]
        return dict(directives(meta_policy(soup)), **{"script-src": ["'self'", *hashes, *keywords],
                                                      "style-src": stylesheets, "frame-ancestors": ["'none'"]})

    assert directives(everything["Content-Security-Policy"]) == as_header(published_pages["index.html"])
    assert everything["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert everything["X-Content-Type-Options"] == "nosniff"
    permissions = everything["Permissions-Policy"].split(", ")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert rules["/theme/*"]["Cache-Control"] == "public, max-age=31536000, immutable"
    # Where search runs, the site-wide policy is replaced, not added to (two
    # policies would both be enforced): the search page's, as a header.
    search_pages = [path for path, soup in published_pages.items() if is_search_page(soup)]
    assert search_pages
    for path in search_pages:
        rule = rules[f"{urlsplit(PUBLISHED_SITE_URL).path.rstrip('/')}/{path.removesuffix('index.html')}*"]
        assert rule["! Content-Security-Policy"] is True
        assert directives(rule["Content-Security-Policy"]) == as_header(published_pages[path])
    index_rule = rules[f"{urlsplit(PUBLISHED_SITE_URL).path.rstrip('/')}/pagefind/*"]
    assert index_rule["Content-Security-Policy"] == rule["Content-Security-Policy"]
    # The thank-you page each form sends as its `next` address may be read by
    # the form's script after the provider's redirect (whose Origin is null):
    # only that page allows any origin.
    thanks = {urlsplit(form.select_one("[data-thanks]")["value"]).path
              for soup in published_pages.values() for form in soup.select("form[data-script]")}
    assert thanks
    open_rules = {path for path, rule in rules.items() if "Access-Control-Allow-Origin" in rule}
    assert open_rules == {f"{path}*" for path in thanks}
    assert all(rules[path]["Access-Control-Allow-Origin"] == "*" for path in open_rules)
    assert all((published_site / path.removeprefix(urlsplit(PUBLISHED_SITE_URL).path).lstrip("/") / "index.html").is_file()
               for path in thanks)


@pytest.mark.published_output
def test_assets_carry_content_hashes_and_every_reference_resolves(published_site, published_pages):
    assets = sorted(path.name for path in (published_site / "theme").iterdir())
    assert len(assets) == 2  # the site's JS, and the search page's (the CSS is in every page)
    for name in assets:
        assert re.fullmatch(r"(site|search)\.[0-9a-f]{10}\.js", name)
    referenced = set()
    for path, soup in published_pages.items():
        for tag in soup.select("link[rel=stylesheet], script[src], link[rel=apple-touch-icon], form[data-script]"):
            url = tag.get("href") or tag.get("src") or tag["data-script"]
            assert url.startswith(PUBLISHED_SITE_URL + "/"), path
            local = url.removeprefix(PUBLISHED_SITE_URL + "/")
            assert (published_site / local).is_file(), f"{path}: {url}"
            referenced.add(local)
    assert {f"theme/{name}" for name in assets} <= referenced


@pytest.fixture
def csp_watch(page):
    """Record every CSP violation the page reports."""
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e =>"
        " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return lambda: page.evaluate("window.__cspViolations")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_chromium_reports_no_violation_on_any_page_type(page, site_url, csp_watch, sample_pages, lang, path):
    path = sample_pages[lang].get(path, path)
    response = page.goto(f"{site_url}/{lang_prefix(lang)}{path}")
    assert response.ok
    page.wait_for_load_state("networkidle")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "18px"  # the CSS applied
    if page.locator("form[data-script]").count():  # its loader brings the form's script, under the policy
        page.locator("form[data-script]").scroll_into_view_if_needed()
        page.locator("form[novalidate]").wait_for()
    assert csp_watch() == []


def test_the_form_works_under_the_policy_without_a_violation(page, site_url, csp_watch, callback_endpoint, sample_pages):
    page.goto(f"{site_url}/en/{sample_pages['en']['article']}")
    page.locator("[name=name]").fill("Olena")
    page.locator("[name=phone]").fill("097 055 22 00")
    page.locator("[name=consent]").check()
    page.locator("form[novalidate]").wait_for()  # the form's script has come (with the first field's focus)
    page.locator("form button[type=submit]").click()
    page.locator("[data-done]").wait_for(state="visible")
    assert len(callback_endpoint.requests) == 1
    assert csp_watch() == []


def test_the_policy_really_blocks_what_it_forbids(page, site_url, csp_watch):
    # Guards the tests above: a planted inline script must be reported.
    page.goto(f"{site_url}/en/")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s); }")
    page.wait_for_timeout(100)
    assert page.evaluate("window.ran") is None
    assert any(violation.startswith("script-src") for violation in csp_watch())


# --- The web editor's page (admin/): a policy of its own ----------------------


@pytest.mark.parametrize("build", ["site", pytest.param("published_site", marks=pytest.mark.published_output)])
def test_the_editor_page_runs_only_the_sites_scripts(request, build):
    """The token lives in the editor's origin: scripts from the site only,
    none inline, no eval; everything not named refused."""
    site = request.getfixturevalue(build)
    editor = BeautifulSoup((site / EDITOR_PAGE).read_text(encoding="utf-8"), "html.parser")
    head = [tag for tag in editor.head.children if getattr(tag, "name", None)]
    assert head[0].get("charset") == "utf-8" and head[1].get("http-equiv") == "Content-Security-Policy"
    policy = directives(meta_policy(editor))
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert not any("unsafe-eval" in source or "wasm" in source for values in policy.values() for source in values)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["connect-src"] == ["'self'", "https://api.github.com", "data:"]
    assert policy["form-action"] == ["'none'"]
    assert inline_scripts(editor) == []
    for tag in editor.find_all(True):
        assert not [name for name in tag.attrs if name.lower().startswith("on")]


@pytest.mark.published_output
def test_headers_give_the_editor_its_policy_and_the_rest_keep_theirs(published_site, published_pages):
    rules = parse_headers_file((published_site / "_headers").read_text())
    editor = BeautifulSoup((published_site / EDITOR_PAGE).read_text(encoding="utf-8"), "html.parser")
    rule = rules[f"{urlsplit(PUBLISHED_SITE_URL).path.rstrip('/')}/{EDITOR_PAGE.removesuffix('index.html')}*"]
    # Replaced, not added to: two policies would both be enforced.
    assert rule["! Content-Security-Policy"] is True
    assert directives(rule["Content-Security-Policy"]) == {**directives(meta_policy(editor)),
                                                           "frame-ancestors": ["'none'"]}
    # The site-wide rule is the visitors' pages' policy, nothing of the editor's.
    site_wide = directives(rules["/*"]["Content-Security-Policy"])
    assert "https://api.github.com" not in site_wide["connect-src"]
    assert "'unsafe-inline'" not in site_wide["style-src"]


def test_chromium_reports_no_violation_on_the_editor_page(page, site_url, csp_watch):
    """The policy is as the editor runs: its sign-in screen, fonts and all,
    under it (tests/admin/ also record every request and every frame)."""
    page.goto(f"{site_url}/{EDITOR_PAGE.removesuffix('index.html')}", wait_until="networkidle")
    page.locator("button").first.wait_for(timeout=30000)
    page.wait_for_load_state("networkidle")
    assert csp_watch() == []
