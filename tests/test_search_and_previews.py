"""What search engines and link previews see, on the published build:
head tags, JSON-LD, sitemap.xml, robots.txt and the Atom feeds."""

import datetime
import json
import re
from xml.etree import ElementTree

import pytest

from conftest import LANGS, PUBLISHED_SITE_URL, ROOT, lang_prefix

SITE = PUBLISHED_SITE_URL
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
LOCALES = {"uk": "uk_UA", "en": "en_GB", "ru": "ru_UA"}
INDEXED_PAGES = ["", "lumbar-pain/", "contacts/", "privacy/"]


def published_url(path):
    return path.removesuffix("index.html")


def meta(soup, key):
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(soup):
    blocks = soup.find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    return json.loads(blocks[0].string)


def nodes(data, node_type):
    return [node for node in data["@graph"] if node["@type"] == node_type]


# --- Head tags ------------------------------------------------------------------------


def indexed(pages):
    """The pages search engines may index (not the 404 and thank-you pages)."""
    return {
        path: soup
        for path, soup in pages.items()
        if not soup.find("meta", attrs={"name": "robots", "content": "noindex"})
    }


@pytest.mark.published_output
def test_every_indexed_page_names_its_own_published_url(published_pages):
    pages = indexed(published_pages)
    assert len(pages) >= 3 * len(INDEXED_PAGES)
    for path, soup in pages.items():
        url = f"{SITE}/{published_url(path)}"
        assert soup.find("link", rel="canonical")["href"] == url, path
        assert meta(soup, "og:url") == url, path
        assert meta(soup, "og:title") and meta(soup, "og:description"), path
        assert meta(soup, "og:locale") == LOCALES[soup.html["lang"]], path
        assert meta(soup, "og:image") == f"{SITE}/images/share.png", path


@pytest.mark.published_output
def test_every_page_has_json_ld_that_loads_and_names_the_clinic(published_pages, settings):
    for path, soup in published_pages.items():
        data = json_ld(soup)
        assert data["@context"] == "https://schema.org", path
        assert nodes(data, "MedicalOrganization")[0]["telephone"] == settings["PHONE"]["tel"], path
        assert len(nodes(data, "MedicalClinic")) == len(settings["LOCATIONS"]), path
        for article in nodes(data, "MedicalWebPage"):
            assert article["url"] == f"{SITE}/{published_url(path)}", path
            datetime.date.fromisoformat(article["datePublished"])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", INDEXED_PAGES)
def test_canonical_and_open_graph_match_the_published_url(published_pages, lang, page):
    soup = published_pages[f"{lang_prefix(lang)}{page}index.html"]
    url = f"{SITE}/{lang_prefix(lang)}{page}"
    assert soup.find("link", rel="canonical")["href"] == url
    assert meta(soup, "og:url") == url
    title = soup.h1.get_text(strip=True)
    assert meta(soup, "og:title") == meta(soup, "twitter:title") == title
    assert soup.title.string.startswith(title)
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert meta(soup, "og:description") == meta(soup, "twitter:description") == description
    assert 0 < len(description) <= 160
    assert meta(soup, "og:locale") == LOCALES[lang]
    alternates = [tag["content"] for tag in soup.find_all("meta", attrs={"property": "og:locale:alternate"})]
    assert sorted(alternates) == sorted(LOCALES[other] for other in LANGS if other != lang)
    assert meta(soup, "og:image") == meta(soup, "twitter:image") == f"{SITE}/images/share.png"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "og:type") == ("article" if page == "lumbar-pain/" else "website")


def test_the_share_image_is_shipped_at_1200_by_630(published_site):
    png = (published_site / "images/share.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1200, 630)


@pytest.mark.parametrize("lang", LANGS)
def test_article_description_is_its_summary(published_pages, lang):
    soup = published_pages[f"{lang_prefix(lang)}lumbar-pain/index.html"]
    source = (ROOT / f"content/articles/lumbar-pain/{lang}.md").read_text(encoding="utf-8")
    summary = re.search(r"^Summary: (.*)$", source, re.M).group(1)
    assert soup.find("meta", attrs={"name": "description"})["content"] == summary
    assert nodes(json_ld(soup), "MedicalWebPage")[0]["description"] == summary


# --- JSON-LD ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["index.html", "en/lumbar-pain/index.html", "ru/contacts/index.html", "privacy/index.html", "en/category/back-pain/index.html"])
def test_every_page_describes_the_clinic_and_both_locations(published_pages, settings, path):
    soup = published_pages[path]
    lang = soup.html["lang"]
    data = json_ld(soup)
    assert data["@context"] == "https://schema.org"
    organization = nodes(data, "MedicalOrganization")[0]
    assert organization["@id"] == f"{SITE}/#organization"
    assert organization["name"] == settings["CLINIC_NAME"][lang]
    assert organization["telephone"] == "+380970552200"
    clinics = nodes(data, "MedicalClinic")
    assert [clinic["@id"] for clinic in clinics] == [f"{SITE}/#location-{loc['id']}" for loc in settings["LOCATIONS"]]
    assert {ref["@id"] for ref in organization["location"]} == {clinic["@id"] for clinic in clinics}
    for clinic, location in zip(clinics, settings["LOCATIONS"]):
        assert clinic["telephone"] == "+380970552200"
        assert clinic["address"] == {
            "@type": "PostalAddress",
            "streetAddress": location["street"][lang],
            "addressLocality": location["city"][lang],
            "addressCountry": "UA",
        }
        assert clinic["hasMap"] == location["map_url"]
        assert clinic["parentOrganization"] == {"@id": organization["@id"]}
        # Opening hours are given only once the clinic has set them.
        assert ("openingHoursSpecification" in clinic) == bool(settings["OPENING_HOURS"])


ARTICLE_FACTS = {
    "uk": ("Біль у попереку – чи допоможе масаж?", "Біль у попереку", "Головна", "Біль у спині", "/category/bil-u-spini/"),
    "en": ("Lumbar pain – can massage help?", "Low back pain", "Home", "Back pain", "/en/category/back-pain/"),
    "ru": ("Боль в пояснице – поможет ли массаж?", "Боль в пояснице", "Главная", "Боль в спине", "/ru/category/bol-v-spine/"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_article_is_a_medical_web_page_matching_its_content(published_pages, lang):
    soup = published_pages[f"{lang_prefix(lang)}lumbar-pain/index.html"]
    title, condition, home, category, category_path = ARTICLE_FACTS[lang]
    data = json_ld(soup)
    page = nodes(data, "MedicalWebPage")[0]
    assert page["headline"] == title == soup.h1.get_text(strip=True)
    assert page["inLanguage"] == lang
    assert page["url"] == f"{SITE}/{lang_prefix(lang)}lumbar-pain/"
    assert page["datePublished"] == soup.select_one(".mc-article__meta time")["datetime"] == "2026-11-23"
    datetime.date.fromisoformat(page["dateModified"])
    assert page["about"] == {"@type": "MedicalCondition", "name": condition}
    assert page["publisher"] == {"@id": f"{SITE}/#organization"}
    assert page["author"] == {"@id": f"{SITE}/#organization"}  # no named author: the clinic
    # Reviewed by nobody yet: never invented.
    assert "reviewedBy" not in page and "lastReviewed" not in page
    crumbs = nodes(data, "BreadcrumbList")[0]["itemListElement"]
    visible = soup.select(".mc-breadcrumbs li")
    assert [item["name"] for item in crumbs] == [li.get_text(strip=True) for li in visible] == [home, category, title]
    assert [item["item"] for item in crumbs] == [f"{SITE}/{lang_prefix(lang)}", SITE + category_path, page["url"]]
    assert [item["position"] for item in crumbs] == [1, 2, 3]


@pytest.mark.parametrize("lang", LANGS)
def test_home_pages_describe_the_website(published_pages, settings, lang):
    data = json_ld(published_pages[f"{lang_prefix(lang)}index.html"])
    website = nodes(data, "WebSite")[0]
    assert website["url"] == f"{SITE}/{lang_prefix(lang)}"
    assert website["inLanguage"] == lang
    assert website["name"] == settings["CLINIC_NAME"][lang]
    assert not nodes(json_ld(published_pages[f"{lang_prefix(lang)}contacts/index.html"]), "WebSite")


def test_review_information_reaches_json_ld(tmp_path):
    from fixture_site import build_fixture_site, home, soup

    reviewed = (
        "Title: T\nDate: 2026-01-10\nModified: 2026-02-01\nLang: uk\nSlug: t\nCategory: C\nSummary: S.\n"
        "Author: Клінічна команда\nReviewer: Dr X, neurologist\nReviewed: 2026-03-15\nCondition: Біль у шиї\n\nText.\n"
    )
    output = build_fixture_site(tmp_path, {"articles/t/uk.md": reviewed, "pages/home/uk.md": home("uk")})
    page = nodes(json_ld(soup(output / "t/index.html")), "MedicalWebPage")[0]
    assert page["reviewedBy"] == {"@type": "Person", "name": "Dr X, neurologist"}
    assert page["lastReviewed"] == "2026-03-15"
    assert page["dateModified"] == "2026-02-01"
    assert page["author"] == [{"@type": "Person", "name": "Клінічна команда"}]


def test_json_ld_cannot_close_its_script_element():
    from clinic.structured_data import serialise

    text = serialise({"headline": "</script><script>alert(1)</script>"})
    assert "</" not in text
    assert json.loads(text)["headline"] == "</script><script>alert(1)</script>"


# --- sitemap.xml and robots.txt -------------------------------------------------------------


def sitemap(published_site):
    return ElementTree.parse(published_site / "sitemap.xml").getroot()


@pytest.mark.published_output
def test_sitemap_lists_exactly_the_published_pages(published_site, published_pages):
    root = sitemap(published_site)
    assert root.tag == f"{SITEMAP}urlset"
    listed = [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
    assert len(listed) == len(set(listed))
    expected = {
        f"{SITE}/{published_url(path)}"
        for path, soup in published_pages.items()
        if not soup.find("meta", attrs={"name": "robots", "content": "noindex"})
    }
    assert set(listed) == expected
    assert not any("404" in url or "thanks" in url or "drafts" in url for url in listed)
    for url in root.findall(f"{SITEMAP}url"):
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod)
        datetime.date.fromisoformat(lastmod)


def test_sitemap_alternates_are_complete_and_reciprocal(published_site):
    root = sitemap(published_site)
    alternates = {}
    for url in root.findall(f"{SITEMAP}url"):
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        for link in url.findall(f"{XHTML}link"):
            assert link.get("rel") == "alternate" and link.get("href", "").startswith(SITE)
        alternates[url.findtext(f"{SITEMAP}loc")] = links
    for page in INDEXED_PAGES:
        versions = {lang: f"{SITE}/{lang_prefix(lang)}{page}" for lang in LANGS}
        for lang, loc in versions.items():
            assert alternates[loc] == {**versions, "x-default": versions["uk"]}, loc
    # Category pages have no translations, so no alternates.
    assert alternates[f"{SITE}/en/category/back-pain/"] == {}


@pytest.mark.published_output
def test_robots_txt_points_to_the_sitemap(published_site):
    robots = (published_site / "robots.txt").read_text()
    assert "User-agent: *" in robots
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.splitlines()


@pytest.mark.published_output
def test_every_sitemap_alternate_is_reciprocal(published_site):
    root = sitemap(published_site)
    alternates = {
        url.findtext(f"{SITEMAP}loc"): {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        for url in root.findall(f"{SITEMAP}url")
    }
    for loc, links in alternates.items():
        if not links:
            continue
        assert loc in links.values(), loc  # a page lists itself
        assert links["x-default"] == links["uk"], loc
        for hreflang, href in links.items():
            assert alternates[href] == links, f"{loc} → {href}"


# --- Atom feeds -------------------------------------------------------------------------------


@pytest.mark.published_output
def test_every_feed_parses_and_each_language_feed_lists_its_articles(published_site, published_pages):
    articles_by_lang = {}
    for path, soup in published_pages.items():
        if meta(soup, "og:type") == "article":
            articles_by_lang.setdefault(soup.html["lang"], set()).add(f"{SITE}/{published_url(path)}")
    feeds = sorted(published_site.rglob("feeds/*.atom.xml"))
    assert feeds
    for feed in feeds:
        assert ElementTree.parse(feed).getroot().tag == f"{ATOM}feed", feed
    for lang, articles in articles_by_lang.items():
        root = ElementTree.parse(published_site / f"{lang_prefix(lang)}feeds/all.atom.xml").getroot()
        listed = {entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")}
        assert listed == articles, lang


FEEDS = {
    "uk": ["feeds/all.atom.xml", "feeds/bil-u-spini.atom.xml"],
    "en": ["en/feeds/all.atom.xml", "en/feeds/back-pain.atom.xml"],
    "ru": ["ru/feeds/all.atom.xml", "ru/feeds/bol-v-spine.atom.xml"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_feeds_listing_its_articles(published_site, published_pages, lang):
    for feed in FEEDS[lang]:
        root = ElementTree.parse(published_site / feed).getroot()
        assert root.tag == f"{ATOM}feed"
        entries = root.findall(f"{ATOM}entry")
        links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
        assert links == [f"{SITE}/{lang_prefix(lang)}lumbar-pain/"]
        entry = entries[0]
        title = published_pages[f"{lang_prefix(lang)}lumbar-pain/index.html"].h1.get_text(strip=True)
        assert entry.findtext(f"{ATOM}title") == title
        assert entry.findtext(f"{ATOM}summary")
        assert len(entry.findtext(f"{ATOM}content")) > 1000  # the full article
    home = published_pages[f"{lang_prefix(lang)}index.html"]
    feed_links = [link["href"] for link in home.find_all("link", rel="alternate", type="application/atom+xml")]
    assert feed_links == [f"{SITE}/{FEEDS[lang][0]}"]
    article = published_pages[f"{lang_prefix(lang)}lumbar-pain/index.html"]
    feed_links = [link["href"] for link in article.find_all("link", rel="alternate", type="application/atom+xml")]
    assert feed_links == [f"{SITE}/{feed}" for feed in FEEDS[lang]]
