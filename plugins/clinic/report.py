"""Problems found in the content, and how they are told to an editor.

Every problem names a file and a line, says what is wrong and how to fix it:

    content/articles/lumbar-pain/index.ru.md:3: Lang is “ua”, which is not a site
    language. Use one of: uk, en, ru.

One ``Report`` collects the problems of a whole build (errors stop it,
warnings are printed and the build goes on), so an editor sees every mistake
at once, not one per build.

In GitHub Actions (``GITHUB_ACTIONS=true``) each problem is also written as
a workflow command, so it shows as an annotation on its file and line in
the pull request, and the job's summary (``$GITHUB_STEP_SUMMARY``) gets a
table of them: an editor working in the browser sees the file and the line
to fix without opening a log.

Warnings have a kind (``code``), so that a policy can name the ones that
stop a publish (``PUBLISH_BLOCKING_WARNINGS`` in pelicanconf.py).
"""

import os
import sys
from dataclasses import dataclass, field

from .messages import Message, _e, _en

# The kinds of warning; errors are all of the kind "error". The kinds are
# names (options, JSON), the descriptions are shown in the editor's language.
WARNING_KINDS = {
    "no-review": _e("no specialist has reviewed the article yet"),
    "review-due": _e("the next review falls due within 30 days"),
    "review-overdue": _e("the next review is overdue"),
    "no-default-language": _e("the article has no Ukrainian version"),
    "stale-translation": _e("the Ukrainian text changed after the translation was made"),
    "long-sentence": _e("a sentence too long for plain language"),
    "summary-repeats-title": _e("the Summary starts with the title"),
    "health-claim": _e("a phrase that may promise a result"),
    "no-source": _e("a reviewed article that cites no source"),
    "claim-without-source": _e("a phrase acknowledged in Claims_checked in a sentence that cites no source"),
    "source-form": _e("a source not written as “Title. Publisher, year. https://…”"),
    "heavy-page": _e("the article's page is heavy: its text is very long"),
    "small-photo": _e("a photo narrower than the text column at a phone's density"),
}


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # as the editor sees it, e.g. content/articles/x/index.uk.md
    line: int  # 1 where no better line is known
    message: Message  # which message, with which parameters; str() in the editor's language
    code: str = "error"  # for warnings, one of WARNING_KINDS

    def __str__(self):
        # The path and line as the editor types them, whatever the language.
        return f"{self.path}:{self.line}: {self.message}"

    @property
    def id(self):
        """The message's identity (its English text, the msgid)."""
        return self.message.id


def escape_data(text):
    """A workflow command's message: %, CR and LF escaped as GitHub asks."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text):
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem, level):
    """`::error file=…,line=…,title=…::message` for GitHub Actions."""
    title = _e("Content problem") if level == "error" else _e("Content warning ({kind})", kind=problem.code)
    return (f"::{level} file={escape_property(problem.path)},line={problem.line},"
            f"title={escape_property(str(title))}::{escape_data(str(problem.message))}")


def summary_table(errors, warnings):
    """The job summary: one Markdown table row per problem."""
    # (Each text is its own call: the extractor does not look inside f-strings.)
    heading, file, line, fix = _e("Content check"), _e("File"), _e("Line"), _e("What to fix")
    no_problems = _e("No problems.")
    if not errors and not warnings:
        return f"### {heading}\n\n{no_problems}\n"
    rows = [f"### {heading}", "", f"| | {file} | {line} | {fix} |", "| --- | --- | --- | --- |"]
    for level, problems in ((_e("error"), errors), (_e("warning"), warnings)):
        for problem in problems:
            message = str(problem.message).replace("|", "\\|").replace("\n", " ")
            rows.append(f"| {level} | `{problem.path}` | {problem.line} | {message} |")
    return "\n".join(rows) + "\n"


def closing_sentence(failures, building):
    """The last line of a run that found problems."""
    if building:
        return _en("{count} problem in the content: fix it and build again. Nothing was built.",
                   "{count} problems in the content: fix them and build again. Nothing was built.", count=failures)
    return _en("{count} problem in the content: fix it and check again.",
               "{count} problems in the content: fix them and check again.", count=failures)


class ContentProblems(Exception):
    """Raised by a reader after recording a file's errors in the Report.

    Pelican drops a file whose reading raised; the problems themselves are
    already in the report, which stops the build before anything is written.
    """


@dataclass
class Report:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def error(self, path, line, message):
        assert isinstance(message, Message), message  # written once, in the catalogue (see messages)
        problem = Problem(str(path), max(1, int(line or 1)), message)
        if problem not in self.errors:
            self.errors.append(problem)

    def warn(self, path, line, message, code):
        assert code in WARNING_KINDS, code
        assert isinstance(message, Message), message
        problem = Problem(str(path), max(1, int(line or 1)), message, code)
        if problem not in self.warnings:
            self.warnings.append(problem)

    def extend(self, other):
        """Add another report's problems (one file's, say) to this one."""
        for problem in other.errors:
            self.error(problem.path, problem.line, problem.message)
        for problem in other.warnings:
            self.warn(problem.path, problem.line, problem.message, problem.code)

    def failing_warnings(self, fail_on):
        """The warnings that count as failures: fail_on is True (all), or
        a list of warning kinds."""
        if fail_on is True:
            return list(self.warnings)
        return [warning for warning in self.warnings if warning.code in (fail_on or ())]

    def failures(self, fail_on=()):
        return len(self.errors) + len(self.failing_warnings(fail_on))

    def print(self, fail_on=(), building=True, stream=None, environment=None):
        """Print every problem; return True when the build may go on.

        fail_on: True (every warning is a failure, ``--strict``) or the
        kinds of warning that are (a publish policy)."""
        stream = stream or sys.stderr
        environment = os.environ if environment is None else environment
        failing = set(self.failing_warnings(fail_on))
        for warning in sorted(self.warnings):
            label = _e("warning, stops a publish") if warning in failing else _e("warning")
            print(f"{warning}  [{label}]", file=stream)
        for error in sorted(self.errors):
            print(error, file=stream)
        if environment.get("GITHUB_ACTIONS") == "true":
            self.annotate(failing, stream, environment)
        failures = self.failures(fail_on)
        if failures:
            print(f"\n{closing_sentence(failures, building)}", file=stream)
        return failures == 0

    def annotate(self, failing, stream, environment):
        """GitHub Actions: an annotation per problem, and a summary table."""
        for warning in sorted(self.warnings):
            print(annotation(warning, "error" if warning in failing else "warning"), file=stream)
        for error in sorted(self.errors):
            print(annotation(error, "error"), file=stream)
        summary = environment.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as file:
                file.write(summary_table(sorted(self.errors), sorted(self.warnings)))
