"""Pelican's writer, with two differences editors would otherwise meet.

* A feed keeps a title as the editor typed it. Pelican's writer reads a
  title as HTML and strips what looks like a tag, so “Біль <у> спині” or
  “A &amp; B” would change; titles here are text (the reader allows no
  markup in them), so the writer gets them escaped.
* A page that cannot be written ends the build with the content file's
  ``path:line`` and what went wrong, not a Python traceback. (The staging
  folder of ``invoke build``/``publish`` is then thrown away: no half-written
  site is served or pushed.)
"""

from markupsafe import escape
from pelican import signals
from pelican.writers import Writer

from .build import display_path


class TitleAsText:
    """An article as the feed writer sees it, its title escaped."""

    def __init__(self, item):
        self._item = item
        self.title = escape(item.title)

    def __getattr__(self, name):
        return getattr(self._item, name)


class CheckedWriter(Writer):
    def _add_item_to_the_feed(self, feed, item):
        return super()._add_item_to_the_feed(feed, TitleAsText(item))

    def write_file(self, name, template, context, *args, **kwargs):
        try:
            return super().write_file(name, template, context, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - every failure becomes one sentence
            item = kwargs.get("article") or kwargs.get("page")
            where = display_path(item.source_path, self.settings) if item is not None else f"theme/templates/{template.name}"
            raise SystemExit(
                f"{where}:1: {name} could not be written ({type(error).__name__}: {error}). "
                "Nothing was built: if the file looks right, ask a developer."
            ) from None


def use_checked_writer(pelican):
    return CheckedWriter


def register():
    signals.get_writer.connect(use_checked_writer)
