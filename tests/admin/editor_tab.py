"""The web editor (/admin/) in Chromium: a guarded tab and the test backend.

Shared by tests/admin/test_admin_page.py and test_admin_editing.py, which
import the fixtures they use (`guarded`, `admin_url`, `built_config`).

Every request to a host other than this machine is aborted and recorded
(`guarded.off_site`), every Content-Security-Policy violation is recorded
from the page (`securitypolicyviolation` events, by an init script, in the
page and in any frame of it), and so are console errors and dialogs. The
browser says it prefers English, so that a Ukrainian interface proves the
page's own default, not the browser's.

The editor's test backend ("Work with Test Repository") keeps its files in
the browser's private file system (OPFS), in the folder
TEST_REPOSITORY_FOLDER (Sveltia CMS 0.221.1: `sveltia-cms-test`); the
config.yml the page fetches is answered with the built one, its backend
switched to `test-repo`.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]

SVELTIA = ROOT / "node_modules" / "@sveltia" / "cms"
TEST_REPOSITORY_FOLDER = "sveltia-cms-test"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
# Starts before any of the page's scripts, in every frame (the preview pane
# included): what the policy refused, and whether anything called home.
RECORDER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
  if (window !== window.top) {
    try { window.top.__violations.push(`(frame) ${event.violatedDirective} ${event.blockedURI}`); } catch {}
  }
});
"""


def interface_text(key, lang="uk"):
    """A string of the editor's interface in `lang`, from the package's own
    catalogue (locales/<lang>.json), by its dotted key."""
    value = json.loads((SVELTIA / "locales" / f"{lang}.json").read_text(encoding="utf-8"))
    for part in key.split("."):
        value = value[part]
    return value


class GuardedTab:
    """A Chromium tab that lets nothing leave this machine and records what
    tried to, what the policy refused, console errors and dialogs."""

    def __init__(self, browser):
        self.context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        self.off_site, self.console_errors, self.dialogs = [], [], []
        self.context.route("**/*", self.guard)
        self.context.add_init_script(RECORDER)
        self.page = self.context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        self.page.on("dialog", self.dismiss)

    def guard(self, route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("http://", "https://")) and host not in {h.strip("[]") for h in LOOPBACK_HOSTS}:
            self.off_site.append(route.request.url)
            return route.abort()
        return route.fallback()

    def dismiss(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def violations(self):
        return self.page.evaluate("window.__violations")

    def close(self):
        self.context.close()


@pytest.fixture
def guarded(browser):
    tab = GuardedTab(browser)
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def admin_url(site_url):
    return f"{site_url}/admin/"


@pytest.fixture(scope="session")
def built_config(site):
    """The editor's configuration as the build wrote it."""
    import yaml

    return yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))


def serve_config(tab, config):
    """Answer the page's config.yml (fetched with a cache-busting query)
    with `config` (JSON is YAML)."""
    tab.context.route(re.compile(r".*/admin/config\.yml(\?.*)?$"),
                      lambda route: route.fulfill(content_type="application/yaml", body=json.dumps(config)))


def use_test_backend(tab, built_config):
    serve_config(tab, {**built_config, "backend": {"name": "test-repo"}})


def seed(page, files):
    """Write {path: text} into the test backend's repository (OPFS); the
    page must be open (OPFS is per origin)."""
    page.evaluate(
        """async ({folder, entries}) => {
          const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder, {create: true});
          for (const [path, text] of entries) {
            const parts = path.split('/');
            const name = parts.pop();
            let dir = root;
            for (const part of parts) dir = await dir.getDirectoryHandle(part, {create: true});
            const writable = await (await dir.getFileHandle(name, {create: true})).createWritable();
            await writable.write(text);
            await writable.close();
          }
        }""",
        {"folder": TEST_REPOSITORY_FOLDER, "entries": list(files.items())},
    )


def read_repository(page):
    """{path: text} of every file in the test backend's repository."""
    return page.evaluate(
        """async (folder) => {
          const files = {};
          const walk = async (dir, prefix) => {
            for await (const handle of dir.values()) {
              if (handle.kind === 'directory') await walk(handle, `${prefix}${handle.name}/`);
              else files[`${prefix}${handle.name}`] = await (await handle.getFile()).text();
            }
          };
          try { await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle(folder), ''); }
          catch { /* empty */ }
          return files;
        }""",
        TEST_REPOSITORY_FOLDER,
    )


def content_files(content=ROOT / "content"):
    """{repository path: text} of every Markdown file under content/."""
    content = Path(content)
    return {f"content/{path.relative_to(content).as_posix()}": path.read_text(encoding="utf-8")
            for path in sorted(content.rglob("*.md"))}
