"""What search engines and link previews see, on the published build:
head tags, JSON-LD, sitemap.xml, robots.txt and the Atom feeds.

Expectations come from the content as Pelican reads it (`articles`) and the
settings: adding an article or a reviewer changes what is expected, not the
tests."""

import datetime
import json
import re
from urllib.parse import urljoin
from xml.etree import ElementTree

import pytest

from clinic import contract
from clinic.addresses import HOME_SLUG
from clinic.structured_data import CLINIC_PAGE_TEMPLATES
from conftest import CONTENT_PATH, LANGS, PUBLISHED_SITE_URL, lang_prefix

SITE = PUBLISHED_SITE_URL
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LOCALES = {"uk": "uk_UA", "en": "en_GB", "ru": "ru_UA"}
# The theme's own pages, in every language; articles come from the content.
THEME_PAGES = ["", "contacts/", "privacy/"]
# The theme's word for the home page in breadcrumbs (its catalogues').
HOME_CRUMB = {"uk": "Головна", "en": "Home", "ru": "Главная"}


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
    return [node for node in data["@graph"] if node.get("@type") == node_type]


def pages_describing_the_clinic():
    """The built paths of the pages that describe the clinic in full: those
    whose Template is one of CLINIC_PAGE_TEMPLATES, in the content."""
    paths = set()
    for source in CONTENT_PATH.glob("pages/*/*.md"):
        template = re.search(r"^Template:\s*(\S+)", source.read_text(encoding="utf-8"), re.M | re.I)
        if template and template[1].lower() in CLINIC_PAGE_TEMPLATES:
            slug = source.parent.name
            lang = contract.language_of_file_name(source.name)
            paths.add(f"{lang_prefix(lang)}{'' if slug == HOME_SLUG else slug + '/'}index.html")
    return paths


# --- Head tags ------------------------------------------------------------------------


def share_image(soup):
    """What a page shares: its article's Picture, as its JSON-LD names it,
    else the clinic's card."""
    web_pages = nodes(json_ld(soup), "MedicalWebPage")
    picture = web_pages[0].get("primaryImageOfPage") if web_pages else None
    return picture["url"] if picture else f"{SITE}/images/share.png"


def has_picture(slug, lang):
    """Whether the article's source file gives it a Picture (its fields,
    before the first blank line)."""
    head = (CONTENT_PATH / "articles" / slug / f"index.{lang}.md").read_text(encoding="utf-8").split("\n\n", 1)[0]
    return re.search(r"^Picture\s*:", head, re.M | re.I) is not None


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
    assert len(pages) >= len(LANGS) * len(THEME_PAGES)
    for path, soup in pages.items():
        url = f"{SITE}/{published_url(path)}"
        assert soup.find("link", rel="canonical")["href"] == url, path
        assert meta(soup, "og:url") == url, path
        assert meta(soup, "og:title") and meta(soup, "og:description"), path
        assert meta(soup, "og:locale") == LOCALES[soup.html["lang"]], path
        assert meta(soup, "og:image") == share_image(soup), path


@pytest.mark.published_output
def test_every_page_has_json_ld_that_loads_and_names_the_clinic(published_pages, settings):
    # In full on the home and contacts pages; elsewhere by its @id, once.
    describing = pages_describing_the_clinic()
    assert describing and describing <= set(published_pages)
    for path, soup in published_pages.items():
        data = json_ld(soup)
        assert data["@context"] == "https://schema.org", path
        if path in describing:
            assert nodes(data, "MedicalOrganization")[0]["telephone"] == settings["PHONE"]["tel"], path
            assert len(nodes(data, "MedicalClinic")) == len(settings["LOCATIONS"]), path
        else:
            assert {"@id": f"{SITE}/#organization"} in data["@graph"], path
            assert not nodes(data, "MedicalOrganization") and not nodes(data, "MedicalClinic"), path
        for article in nodes(data, "MedicalWebPage"):
            assert article["url"] == f"{SITE}/{published_url(path)}", path
            datetime.date.fromisoformat(article["datePublished"])


def indexed_pages(articles):
    """(lang, path, is an article) for the theme's pages and every article."""
    pages = [(lang, f"{lang_prefix(lang)}{page}", False) for lang in LANGS for page in THEME_PAGES]
    return pages + [(lang, entry["url"], True) for _, lang, entry in articles]


def test_canonical_and_open_graph_match_the_published_url(published_pages, articles):
    for lang, path, is_article in indexed_pages(articles):
        check_canonical_and_open_graph(published_pages[f"{path}index.html"], lang, path, is_article)


def test_an_article_with_a_picture_shares_its_1200_by_630_crop(published_site, published_pages, articles):
    for slug, lang, entry in articles:
        soup = published_pages[f"{entry['url']}index.html"]
        shared = share_image(soup)
        assert (shared != f"{SITE}/images/share.png") == has_picture(slug, lang), entry["url"]
        if has_picture(slug, lang):
            jpeg = (published_site / shared.removeprefix(f"{SITE}/")).read_bytes()
            assert jpeg[:3] == b"\xff\xd8\xff"
            assert web_page_image(soup)["width"] == 1200 and web_page_image(soup)["height"] == 630


def web_page_image(soup):
    return nodes(json_ld(soup), "MedicalWebPage")[0]["primaryImageOfPage"]


def check_canonical_and_open_graph(soup, lang, path, is_article):
    url = f"{SITE}/{path}"
    assert soup.find("link", rel="canonical")["href"] == url
    assert meta(soup, "og:url") == url
    title = soup.h1.get_text(strip=True)
    assert meta(soup, "og:title") == title
    assert soup.title.string.startswith(title)
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert meta(soup, "og:description") == description
    assert 0 < len(description) <= 160
    assert meta(soup, "og:locale") == LOCALES[lang]
    alternates = [tag["content"] for tag in soup.find_all("meta", attrs={"property": "og:locale:alternate"})]
    assert sorted(alternates) == sorted(LOCALES[other] for other in LANGS if other != lang)
    assert meta(soup, "og:image") == share_image(soup)
    assert meta(soup, "twitter:card") == "summary_large_image"
    # X falls back to og: for the rest; a copy would only cost every page bytes.
    assert not soup.find("meta", attrs={"name": ["twitter:title", "twitter:description", "twitter:image"]})
    assert meta(soup, "og:type") == ("article" if is_article else "website")


def test_the_share_image_is_shipped_at_1200_by_630(published_site):
    png = (published_site / "images/share.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1200, 630)


def test_article_description_is_its_summary(published_pages, articles):
    for _, _, entry in articles:
        soup = published_pages[f"{entry['url']}index.html"]
        assert soup.find("meta", attrs={"name": "description"})["content"] == entry["summary"]
        assert nodes(json_ld(soup), "MedicalWebPage")[0]["description"] == entry["summary"]


# --- JSON-LD ---------------------------------------------------------------------------


def test_the_home_and_contacts_pages_describe_the_clinic_and_both_locations(published_pages, settings):
    for path in pages_describing_the_clinic():
        check_clinic_and_locations(published_pages[path], settings)


def check_clinic_and_locations(soup, settings):
    lang = soup.html["lang"]
    data = json_ld(soup)
    assert data["@context"] == "https://schema.org"
    organization = nodes(data, "MedicalOrganization")[0]
    assert organization["@id"] == f"{SITE}/#organization"
    assert organization["name"] == settings["CLINIC_NAME"][lang]
    assert organization["telephone"] == settings["PHONE"]["tel"]
    clinics = nodes(data, "MedicalClinic")
    assert [clinic["@id"] for clinic in clinics] == [f"{SITE}/#location-{loc['id']}" for loc in settings["LOCATIONS"]]
    assert {ref["@id"] for ref in organization["location"]} == {clinic["@id"] for clinic in clinics}
    for clinic, location in zip(clinics, settings["LOCATIONS"]):
        assert clinic["telephone"] == settings["PHONE"]["tel"]
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


def test_article_is_a_medical_web_page_matching_its_content(published_pages, articles):
    assert articles
    for _, lang, entry in articles:
        check_medical_web_page(published_pages[f"{entry['url']}index.html"], lang, entry)


def check_medical_web_page(soup, lang, entry):
    data = json_ld(soup)
    page = nodes(data, "MedicalWebPage")[0]
    assert page["headline"] == entry["title"] == soup.h1.get_text(strip=True)
    assert page["inLanguage"] == lang
    assert page["url"] == f"{SITE}/{entry['url']}"
    assert page["datePublished"] == soup.select_one(".mc-article__meta time")["datetime"] == entry["date"]
    assert page["dateModified"] == (entry["modified"] or entry["date"])
    if entry["condition"]:
        assert page["about"] == {"@type": "MedicalCondition", "name": entry["condition"]}
    else:
        assert "about" not in page
    assert page["publisher"] == {"@id": f"{SITE}/#organization"}
    # People are named by their profile's Person (tests/plugins/test_people.py).
    if entry["authors"]:
        assert (page["author"]["@type"], page["author"]["name"]) == ("Person", entry["authors"][0])
        assert page["author"]["@id"].endswith("#person")
    else:
        assert page["author"] == {"@id": f"{SITE}/#organization"}  # no named author: the clinic
    # Reviewed by whom the content says, and by nobody it does not: never invented.
    if entry["reviewer"] and entry["reviewer"] == (entry["authors"] or [None])[0]:
        assert page["reviewedBy"] == {"@id": page["author"]["@id"]}  # the same person: named once in full
    elif entry["reviewer"]:
        assert (page["reviewedBy"]["@type"], page["reviewedBy"]["name"]) == ("Person", entry["reviewer"])
    else:
        assert "reviewedBy" not in page
    if entry["reviewed"]:
        assert page["lastReviewed"] == entry["reviewed"]
    else:
        assert "lastReviewed" not in page
    crumbs = nodes(data, "BreadcrumbList")[0]["itemListElement"]
    visible = soup.select(".mc-breadcrumbs li")
    names = [HOME_CRUMB[lang], entry["category"], entry["title"]]
    assert [item["name"] for item in crumbs] == [li.get_text(strip=True) for li in visible] == names
    assert [item["item"] for item in crumbs] == [f"{SITE}/{lang_prefix(lang)}", f"{SITE}/{entry['category_url']}", page["url"]]
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
    from fixture_site import TEST_PEOPLE, build_fixture_site, home, people_files, soup

    reviewed = (
        "Title: T\nDate: 2026-01-10\nModified: 2026-02-01\nLang: uk\nSlug: t\nCategory: C\nSummary: S.\n"
        "Author: test-author\nReviewer: test-reviewer\nReviewed: 2026-03-15\nCondition: Біль у шиї\n\nText.\n"
    )
    output = build_fixture_site(tmp_path, {"articles/t/index.uk.md": reviewed, "pages/home/index.uk.md": home("uk"),
                                           **people_files(("uk",))})
    page = nodes(json_ld(soup(output / "t/index.html")), "MedicalWebPage")[0]
    # The people, as their profiles name them (tests/plugins/test_people.py checks the rest).
    assert (page["reviewedBy"]["@type"], page["reviewedBy"]["name"]) == ("Person", TEST_PEOPLE["test-reviewer"]["uk"][0])
    assert page["reviewedBy"]["@id"].endswith("/people/test-reviewer/#person")
    assert page["lastReviewed"] == "2026-03-15"
    assert page["dateModified"] == "2026-02-01"
    assert (page["author"]["@type"], page["author"]["name"]) == ("Person", TEST_PEOPLE["test-author"]["uk"][0])


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


def test_sitemap_alternates_are_complete_and_reciprocal(published_site, site_content):
    root = sitemap(published_site)
    alternates = {}
    for url in root.findall(f"{SITEMAP}url"):
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        for link in url.findall(f"{XHTML}link"):
            assert link.get("rel") == "alternate" and link.get("href", "").startswith(SITE)
        alternates[url.findtext(f"{SITEMAP}loc")] = links
    for page in THEME_PAGES:
        versions = {lang: f"{SITE}/{lang_prefix(lang)}{page}" for lang in LANGS}
        for lang, loc in versions.items():
            assert alternates[loc] == {**versions, "x-default": versions["uk"]}, loc
    for row in site_content["articles"]:
        versions = {lang: f"{SITE}/{entry['url']}" for lang, entry in row["languages"].items()
                    if entry and entry["status"] == "published"}
        expected = {**versions, "x-default": versions["uk"]} if len(versions) > 1 and "uk" in versions else {}
        for loc in versions.values():
            if len(versions) > 1:
                assert {k: v for k, v in alternates[loc].items() if k != "x-default"} == versions, loc
            if expected:
                assert alternates[loc] == expected, loc
    # A topic's first pages are translations of each other (one address per
    # topic, see TOPICS), the A-Z pages too.
    for kind, urls in [("topic", topic_urls(site_content)), ("A to Z", index_urls(site_content))]:
        for versions in urls:
            expected = {**versions, "x-default": versions["uk"]} if len(versions) > 1 and "uk" in versions else {}
            for loc in versions.values():
                assert alternates[loc] == expected, (kind, loc)


def topic_urls(site_content):
    """[{lang: absolute URL of the topic's first page}], a topic each."""
    topics = {}
    for row in site_content["articles"]:
        for lang, entry in row["languages"].items():
            if entry and entry["status"] == "published":
                topic = entry["category_url"].rstrip("/").rsplit("/", 1)[1]
                topics.setdefault(topic, {})[lang] = f"{SITE}/{entry['category_url']}"
    return list(topics.values())


def index_urls(site_content):
    """[{lang: absolute URL of its "All articles" page}] for the languages with articles."""
    langs = {lang for row in site_content["articles"] for lang, entry in row["languages"].items()
             if entry and entry["status"] == "published"}
    return [{lang: f"{SITE}/{lang_prefix(lang)}articles/" for lang in langs}]


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
def test_every_feed_parses_and_each_language_feed_lists_its_articles(published_site, published_pages, settings):
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
        assert listed <= articles and len(listed) == min(len(articles), settings["FEED_MAX_ITEMS"]), lang


def category_feed(lang, entry):
    """A category's feed: {lang prefix}feeds/{category slug}.atom.xml."""
    category_slug = entry["category_url"].rstrip("/").rsplit("/", 1)[1]
    return f"{lang_prefix(lang)}feeds/{category_slug}.atom.xml"


def assert_the_newest(listed, members, limit, where):
    """`listed` (absolute URLs) are the newest `limit` of `members` (entries
    of the content report); articles of one date may come in any order."""
    urls = {f"{SITE}/{member['url']}": member["date"] for member in members}
    assert listed <= set(urls) and len(listed) == min(len(urls), limit), where
    oldest_listed = min(urls[url] for url in listed)
    assert {url for url, date in urls.items() if date > oldest_listed} <= listed, where


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_has_feeds_listing_its_articles(published_site, published_pages, articles, settings, lang):
    in_lang = [entry for _, article_lang, entry in articles if article_lang == lang]
    all_feed = f"{lang_prefix(lang)}feeds/all.atom.xml"
    feeds = {all_feed: in_lang}
    for entry in in_lang:
        feeds.setdefault(category_feed(lang, entry), []).append(entry)
    for feed, members in feeds.items():
        root = ElementTree.parse(published_site / feed).getroot()
        assert root.tag == f"{ATOM}feed"
        entries = {entry.find(f"{ATOM}link").get("href"): entry for entry in root.findall(f"{ATOM}entry")}
        assert_the_newest(set(entries), members, settings["FEED_MAX_ITEMS"], feed)
        for member in members:
            written = entries[f"{SITE}/{member['url']}"]
            assert written.findtext(f"{ATOM}title") == member["title"]  # as typed, every character
            assert written.findtext(f"{ATOM}summary")
            assert written.findtext(f"{ATOM}content")
    home = published_pages[f"{lang_prefix(lang)}index.html"]
    feed_links = [link["href"] for link in home.find_all("link", rel="alternate", type="application/atom+xml")]
    assert feed_links == [f"{SITE}/{all_feed}"]
    for entry in in_lang:
        article = published_pages[f"{entry['url']}index.html"]
        feed_links = [link["href"] for link in article.find_all("link", rel="alternate", type="application/atom+xml")]
        assert feed_links == [f"{SITE}/{all_feed}", f"{SITE}/{category_feed(lang, entry)}"]


# Every feed, found from the pages that link to it, on the preview and on the production
# build: its own title in its language, its own id, its language, the page it belongs to;
# an author on every entry.


@pytest.fixture(params=["preview", pytest.param("published", marks=pytest.mark.published_output)])
def build(request):
    """(the output folder, its pages, the absolute address it was built for):
    the preview (`site`, for the test's server) and the production build."""
    if request.param == "preview":
        site_url = f"http://127.0.0.1:{request.getfixturevalue('site_port')}"
        return request.getfixturevalue("site"), request.getfixturevalue("html_pages"), site_url
    return request.getfixturevalue("published_site"), request.getfixturevalue("published_pages"), PUBLISHED_SITE_URL


def linked_feeds(pages, site_url):
    """{a feed's absolute URL: the languages of the pages that link to it}."""
    feeds = {}
    for soup in pages.values():
        for link in soup.find_all("link", rel="alternate", type="application/atom+xml"):
            feeds.setdefault(urljoin(site_url + "/", link["href"]), set()).add(soup.html["lang"])
    return feeds


def feed_file(site, site_url, url):
    return site / url.removeprefix(site_url + "/")


def test_every_feed_written_is_linked_from_the_pages_of_its_language(build):
    site, pages, site_url = build
    feeds = linked_feeds(pages, site_url)
    written = {f"{site_url}/{path.relative_to(site).as_posix()}" for path in site.rglob("*.atom.xml")}
    assert written and set(feeds) == written
    for url, languages in feeds.items():
        assert len(languages) == 1, f"{url} is linked from pages in {languages}"
    # ... and each link bears its feed's own title.
    for soup in pages.values():
        for link in soup.find_all("link", rel="alternate", type="application/atom+xml"):
            feed = ElementTree.parse(feed_file(site, site_url, urljoin(site_url + "/", link["href"]))).getroot()
            assert link["title"] == feed.findtext(f"{ATOM}title"), link


def feed_topic(url):
    """The topic of a feed (its file name is the topic's TOPICS key), or
    None for a language's feed of all its articles."""
    name = url.rsplit("/", 1)[1].removesuffix(".atom.xml")
    return None if name == "all" else name


def test_each_feed_has_its_own_title_id_language_and_page(build, settings, articles):
    site, pages, site_url = build
    topic_pages = {(lang, entry["category_url"].rstrip("/").rsplit("/", 1)[1]): entry["category_url"]
                   for _, lang, entry in articles}
    ids = []
    for url, (lang,) in linked_feeds(pages, site_url).items():
        root = ElementTree.parse(feed_file(site, site_url, url)).getroot()
        topic = feed_topic(url)
        site_name = settings["CLINIC_NAME"][lang]
        if topic is None:
            title, page = site_name, lang_prefix(lang)
        else:
            title, page = f"{site_name}: {settings['TOPICS'][topic][lang]}", topic_pages[lang, topic]
        assert root.findtext(f"{ATOM}title") == title, url
        assert root.get(XML_LANG) == lang, url
        links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        assert links == {"self": url, "alternate": f"{site_url}/{page}"}, url
        # The page it belongs to is the build's, in its language, and offers this feed.
        alternate = pages[f"{page}index.html"]
        assert alternate.html["lang"] == lang, url
        assert url in linked_feeds({page: alternate}, site_url), url
        assert root.findtext(f"{ATOM}id") == url
        ids.append(url)
    assert ids and len(set(ids)) == len(ids)


def test_every_entry_has_an_author_the_clinic_when_the_article_names_none(build, settings, articles):
    site, pages, site_url = build
    by_url = {f"{site_url}/{entry['url']}": entry for _, _, entry in articles}
    checked = 0
    for url, (lang,) in linked_feeds(pages, site_url).items():
        for entry in ElementTree.parse(feed_file(site, site_url, url)).getroot().findall(f"{ATOM}entry"):
            article = by_url[entry.find(f"{ATOM}link").get("href")]
            names = [author.findtext(f"{ATOM}name") for author in entry.findall(f"{ATOM}author")]
            # Atom names one author here: the article's first, as Pelican's writer does.
            assert names == [(article["authors"] or [settings["CLINIC_NAME"][lang]])[0]], url
            checked += 1
    assert checked >= len(articles)


def test_pelicans_own_mixed_language_feed_is_refused_in_one_sentence(tmp_path):
    # Pelican's own feeds would mix the languages, with one title and id for all.
    from fixture_site import article, build_fixture_site, home

    files = {"articles/one/index.uk.md": article("uk", "one", "Один", "Тема"), "pages/home/index.uk.md": home("uk")}
    from clinic.messages import _e

    refused = _e("Pelican was asked for its own feed {path}, which would mix the languages. Set that *_FEED_* setting "
                 "to None: the plugin writes each language's feeds (languages.py).", path="feeds/all.atom.xml")
    with pytest.raises(SystemExit) as stopped:
        build_fixture_site(tmp_path, files, FEED_ALL_ATOM="feeds/all.atom.xml")
    # One sentence, in the editor's language (the build's: pelicanconf.py's).
    assert str(stopped.value) == f"pelicanconf.py:1: {refused}"
