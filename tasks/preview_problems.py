"""What a failed build of the local preview shows in the browser.

Owns the preview server's own files, beside the site's (PREVIEW_FILES_PATH):
preview_problems.js, which every page of `make serve` loads and which shows,
over the last good page, what the failed build printed: the report's lines
(path:line: message; errors first, then warnings), or the end of its output
when it has no errors (a broken template); the JSON it reads them from (problems_handlers); the page served
while there is no site at all; and the few words around the problems, in
the editor's language. Nothing here is ever part of a built site.
"""

import re
from pathlib import Path

# The preview server's own files, beside the site's: no address of the site
# starts so (a slug is lower-case letters, digits and hyphens: contract.SLUG).
PREVIEW_FILES_PATH = "/__preview__/"
PROBLEMS_SCRIPT = Path(__file__).with_name("preview_problems.js")
# Served for every address while there is no site at all (the first build
# failed): a page with nothing but the problems.
NO_SITE_PAGE = Path(__file__).with_name("preview_no_site.html")

# A line of the build's report as it prints it (plugins/clinic/report.py,
# Problem): the file as the editor names it, its line, what is wrong.
REPORT_LINE = re.compile(r"^[^\s:][^:]*:\d+: \S")
# A warning's line ends with its label in brackets after two spaces
# (Report.print: "  [warning]", in whatever language the label is).
WARNING_LABEL = re.compile(r"  \[[^\[\]]+\]$")
# Colours and cursor moves a terminal would act on (Pelican's log): not text.
TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# A failed build without report lines (a broken template, say) shows the
# end of what it printed, where Python and Pelican say what went wrong.
OUTPUT_TAIL_LINES = 40

def problems_words(lang):
    """The problems' own heading, help and button, in the editor's language
    `lang` (the editor's messages, like every sentence the tools say); the
    problems themselves are the build's lines, as printed."""
    from .config import editor_messages

    _e = editor_messages()._e
    return {
        "lang": lang,
        "heading": _e("The last save has problems").render(lang),
        "help": _e("Under this message is the last good version of the page. Fix what is listed below (file:line: "
                   "what is wrong) and save: the page reloads by itself.").render(lang),
        "hide": _e("Show the last good version").render(lang),
    }


def failed_build_shown(output):
    """What the browser shows of a failed build's `output` (its stdout and
    stderr as printed): {"errors", "warnings": its report lines, what
    stopped the build first, "output": the end of what it printed when it
    has no errors}."""
    lines = [line.rstrip() for line in TERMINAL_CODES.sub("", output).splitlines()]
    problems = [line for line in lines if REPORT_LINE.match(line)]
    errors = [line for line in problems if not WARNING_LABEL.search(line)]
    printed = [line for line in lines if line.strip()]
    return {"errors": errors, "warnings": [line for line in problems if line not in errors],
            "output": [] if errors else printed[-OUTPUT_TAIL_LINES:]}


def problems_handlers(current_failure, editor_language=None):
    """Tornado's handlers for the preview server's own files: the script,
    and what it shows, as JSON: {"failed": false}, or {"failed": true,
    "errors": [report lines], "warnings": [report lines], "output": [the end
    of what the build printed, when it has no errors], "words": [{"lang",
    "heading", "help", "hide"}]}. `current_failure()` is the preview's (Preview.failure);
    `editor_language` by default the editor's (EDITOR_LANGUAGE: the
    environment variable, else the setting)."""
    from tornado import web

    from .config import editor_messages

    words = [problems_words(editor_language or editor_messages().language())]

    class ProblemsHandler(web.RequestHandler):
        def get(self):
            self.set_header("Cache-Control", "no-store")
            failure = current_failure()
            self.write({"failed": False} if failure is None else {"failed": True, **failure, "words": words})

    class ProblemsScriptHandler(web.RequestHandler):
        def get(self):
            self.set_header("Content-Type", "text/javascript; charset=UTF-8")
            self.set_header("Cache-Control", "no-store")
            self.write(PROBLEMS_SCRIPT.read_bytes())

    own = re.escape(PREVIEW_FILES_PATH)
    return [(own + r"problems\.json", ProblemsHandler), (own + r"problems\.js", ProblemsScriptHandler)]
