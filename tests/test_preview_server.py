"""`make serve`'s task: it builds, serves every language and adds live reload."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode("utf-8")


def test_livereload_serves_every_language_home_with_reload_script(tmp_path):
    port = free_port()
    invoke = Path(sys.executable).parent / "invoke"
    server = subprocess.Popen(
        [str(invoke), "livereload", "--port", str(port), "--output", str(tmp_path / "site")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + "/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the preview server did not start"
                time.sleep(0.2)
        for path, lang in (("/", "uk"), ("/en/", "en"), ("/ru/", "ru"), ("/en/lumbar-pain/", "en")):
            status, html = fetch(base + path)
            assert status == 200
            assert f'<html lang="{lang}">' in html
            assert "livereload.js" in html  # the browser reloads after a rebuild
    finally:
        server.terminate()
        server.wait(timeout=10)
