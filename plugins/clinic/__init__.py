"""The clinic site's Pelican plugin: one package, a module per concern.

Around one content contract (``contract``), in the order a build meets them:

* ``clinic_data``      the clinic's facts (content/clinic.yaml): their
                       contract, reader and checks, and the web editor's form
* ``files``            which files may be under content/ and theme/
* ``reader``           Pelican's Markdown reader, checking each file as it
                       reads it, with ``sanitise`` (the HTML allow-list)
* ``rendering``        the reader's work for every file, done on every core
                       before Pelican reads, and kept for the preview
* ``checks``           the checks before reading and before writing, and the
                       ``report`` that tells editors what is wrong
* ``addresses``        every address the build writes, and their collisions
* ``photos``           photos beside a text: checked, cleaned, encoded in
                       sizes and formats (cached), shown as <picture>
* ``claims``           phrases that may promise a health result (warnings)
* ``people``           people's profiles, the articles that name them by
                       slug, and each language's "Our specialists" page
* ``content_report``   every article's languages, review and translation
                       state: ``invoke report`` and a page in the preview
* ``languages``        languages: URLs, home/category/404 pages, feeds,
                       translated theme text, dates
* ``article_extras``   reading time, contents, review dates, related articles
* ``structured_data``  JSON-LD
* ``sitemap``          sitemap.xml and robots.txt
* ``security_policy``  the Content-Security-Policy and ``_headers``
* ``assets``           the fingerprinted CSS and JS bundles
* ``web_editor_bundle`` the web editor at /admin/: its page, configuration
                       and the bundle of Sveltia CMS (cached)
* ``writer``           Pelican's writer: each feed as its language
                       describes it (title, id, xml:lang, page, authors),
                       titles kept as typed in feeds, a page that cannot be
                       written named by its file, pages written on every core

``register()`` connects them to Pelican's signals in the order stated
below; where two modules listen to one signal, that order is the order they
run in.
"""

from . import (
    article_extras,
    assets,
    checks,
    content_report,
    languages,
    people,
    photos,
    reader,
    security_policy,
    sitemap,
    structured_data,
    web_editor_bundle,
    writer,
)


def register():
    # initialized: the settings and catalogues first, then the files check,
    # which keeps the files it refuses from Pelican before it looks at a
    # single content file (every problem stops the build before writing).
    assets.register()  # the stylesheet's hash, for the policy
    security_policy.register()
    languages.register()
    checks.register()
    # Reading, and what is added to each article once all are read.
    # all_generators_finalized: the checks render every text first (so a
    # complaint while rendering names its file), then article_extras
    # measures the rendered text.
    reader.register()
    article_extras.register()
    # Output: JSON-LD helper for templates, then the extra files.
    structured_data.register()
    people.register()
    sitemap.register()
    content_report.register()
    photos.register()
    web_editor_bundle.register()
    writer.register()
