"""Running programs, and stopping cleanly.

Owns how a task runs another program (run_command, run_commands: in ROOT,
in a process group of its own, stopped with us), how Ctrl-C and SIGTERM
become the `Stopped` exception (stop_on_signals, signals_held), and the
staging folders that a stop never leaves behind (staging_folder).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from .config import ROOT


# --- Stopping cleanly ---------------------------------------------------------
#
# A build or a publish writes into a staging folder first. Ctrl-C (SIGINT) and
# SIGTERM (CI cancelling a job, `kill`) must not leave that folder behind, nor
# a program still writing into it, nor a moved branch: both signals become
# `Stopped`, an exception, so every `finally` below runs, for either signal.


class Stopped(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM arrived; `str()` is the signal's name."""


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# How long a program we started gets to stop after our SIGINT, before SIGKILL.
STOP_GRACE_SECONDS = 10
_held = {"depth": 0, "pending": None}


def _on_stop_signal(signum, frame):
    name = signal.Signals(signum).name
    if _held["depth"]:  # inside signals_held(): raised when it ends
        _held["pending"] = name
        return
    raise Stopped(name)


@contextlib.contextmanager
def stop_on_signals():
    """Within this block, SIGINT and SIGTERM both raise `Stopped`.

    Only the main thread can set signal handlers; elsewhere (a rebuild run
    by the preview server's watcher, say) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    for number in STOP_SIGNALS:
        signal.signal(number, _on_stop_signal)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        _held["pending"] = None


@contextlib.contextmanager
def signals_held():
    """Put off Ctrl-C and SIGTERM until this block ends, so that what it
    does (remove a folder, swap a build in, put a branch back) is never cut
    in half; a signal that came meanwhile raises `Stopped` at its end."""
    _held["depth"] += 1
    try:
        yield
    finally:
        _held["depth"] -= 1
    if not _held["depth"] and _held["pending"]:
        name, _held["pending"] = _held["pending"], None
        raise Stopped(name)


@contextlib.contextmanager
def staging_folder(prefix, parent=None):
    """A fresh folder, removed when the block ends, however it ends."""
    path = None
    try:
        with signals_held():
            path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        yield path
    finally:
        if path is not None:
            with signals_held():
                shutil.rmtree(path, ignore_errors=True)


def run_command(args, *, env=None, capture=False, input=None, own_group=True):
    """Run one program in ROOT to its end; return its CompletedProcess.

    If we are stopped meanwhile (`Stopped`, or any error), the program is
    stopped too before that goes on: asked first (SIGTERM), killed after
    STOP_GRACE_SECONDS. With `own_group`, it runs in a process group of its
    own, so whatever it starts in turn (the tests' browser and HTML checker)
    is stopped with it, and nothing of it outlives us to write into a folder
    we remove; and Ctrl-C reaches it only through us, once (not as a
    KeyboardInterrupt traceback from Pelican). Programs that may ask for a
    password (git talking to a remote) keep our group and the terminal.
    """
    pipe = subprocess.PIPE if capture else None
    if input is not None:
        stdin = subprocess.PIPE
    else:
        stdin = subprocess.DEVNULL if own_group else None
    process = None
    try:
        with signals_held():
            process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=env,
                stdin=stdin,
                stdout=pipe,
                stderr=pipe,
                text=True,
                process_group=0 if own_group else None,
            )
        stdout, stderr = process.communicate(input)
    except BaseException:
        if process is not None:
            with signals_held():
                _stop_process(process, own_group)
        raise
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def _stop_process(process, own_group):
    def send(number):
        try:
            if own_group:
                os.killpg(process.pid, number)
            elif process.poll() is None:
                process.send_signal(number)
        except (ProcessLookupError, PermissionError):
            pass

    if process.poll() is None:
        send(signal.SIGTERM)
        try:
            process.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    send(signal.SIGKILL)  # whatever is left of it
    process.wait()


def run_commands(commands, at_once):
    """Run the programs, `at_once` at a time, each in a process group of its
    own (as run_command); return their exit codes in order. If we are
    stopped meanwhile, those still running are stopped first."""
    waiting = list(enumerate(commands))
    running = {}
    codes = [None] * len(commands)
    try:
        while waiting or running:
            while waiting and len(running) < at_once:
                number, args = waiting.pop(0)
                with signals_held():
                    running[number] = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.DEVNULL, process_group=0)
            # Polled, not os.wait(): the preview has other children (its
            # forked Pelicans) whose end is theirs to collect.
            time.sleep(0.02)
            for number, process in list(running.items()):
                if process.poll() is not None:
                    codes[number] = process.returncode
                    del running[number]
    except BaseException:
        with signals_held():
            for process in running.values():
                _stop_process(process, own_group=True)
        raise
    return codes
