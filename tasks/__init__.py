"""Tasks for building, previewing, testing and translating the site.

Run them as `.venv/bin/invoke <task>` (the Makefile does this for you);
`invoke --list` shows them all. Extra Pelican options pass through where a
task says so.

One module per job, each saying what it owns:

- config.py: ROOT, CONFIG and the helpers every module shares
- processes.py: running programs, Ctrl-C and SIGTERM, staging folders
- building.py: Pelican's command line, the build and the search index (clean, build, preview)
- preview_server.py: the local preview that rebuilds on every change (livereload)
- editor.py: the editor's tools (check, report, new, translations)
- publishing.py: the checked production build and its push (publish)
- measuring.py: the benchmark and Lighthouse (bench, lighthouse)
- testing.py: the test suite (test)

invoke collects the tasks imported here.
"""

from .building import build, clean, preview
from .editor import check, new, report, translations
from .measuring import bench, lighthouse
from .preview_server import livereload
from .publishing import publish
from .testing import test

__all__ = ["bench", "build", "check", "clean", "lighthouse", "livereload", "new", "preview", "publish", "report",
           "test", "translations"]
