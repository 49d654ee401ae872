"""Problems found in the content, and how they are told to an editor.

Every problem names a file and a line, says what is wrong and how to fix it:

    content/articles/lumbar-pain/ru.md:3: Lang is “ua”, which is not a site
    language. Use one of: uk, en, ru.

One ``Report`` collects the problems of a whole build (errors stop it,
warnings are printed and the build goes on), so an editor sees every mistake
at once, not one per build.
"""

import sys
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # as the editor sees it, e.g. content/articles/x/uk.md
    line: int  # 1 where no better line is known
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


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
        problem = Problem(str(path), max(1, int(line or 1)), message)
        if problem not in self.errors:
            self.errors.append(problem)

    def warn(self, path, line, message):
        problem = Problem(str(path), max(1, int(line or 1)), message)
        if problem not in self.warnings:
            self.warnings.append(problem)

    def failures(self, strict=False):
        return len(self.errors) + (len(self.warnings) if strict else 0)

    def print(self, strict=False, building=True, stream=None):
        """Print every problem; return True when the build may go on."""
        stream = stream or sys.stderr
        for warning in sorted(self.warnings):
            print(f"{warning}  [warning]", file=stream)
        for error in sorted(self.errors):
            print(error, file=stream)
        failures = self.failures(strict)
        if failures:
            then = "build again. Nothing was built." if building else "check again."
            print(
                f"\n{failures} problem{'s' if failures != 1 else ''} in the content: fix "
                f"{'them' if failures != 1 else 'it'} and {then}",
                file=stream,
            )
        return failures == 0
