"""Running the test suite: `invoke test`."""

import shlex
import sys

from invoke import task


@task(help={
    "args": "options and test paths for pytest, e.g. '-k hreflang'",
    "workers": "how many pytest processes share the tests (pytest-xdist): auto, one per core; 0 for one process",
})
def test(c, args="", workers="auto"):
    """Run the test suite (pytest), on every core.

    Most of the suite's time is builds, Chromium and Java, which leave a core
    idle in one process; worksteal balances the few long tests (publishing,
    the property test) against the many short ones.
    """
    parallel = f"--numprocesses {shlex.quote(str(workers))} --dist worksteal" if str(workers) != "0" else ""
    c.run(f"{shlex.quote(sys.executable)} -m pytest {parallel} {args}", pty=False)
