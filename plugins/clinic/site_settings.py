"""The site's addresses from the environment, checked against an allow-list.

``publishconf.py`` reads the published site's address (``SITE_URL``), the
call-back form's endpoint (``CALLBACK_ENDPOINT``) and the custom domain for
GitHub Pages' ``CNAME`` file (``SITE_DOMAIN``) from the environment, where a
stray character is easy to paste and hard to see. Each address goes
somewhere it can do harm: the endpoint into the Content-Security-Policy
(a space or a ``*`` there would allow other origins), the domain into the
``CNAME`` file (two lines break it), the site's address into every link.

So each function here accepts only what it allows and names the first
thing that is not, instead of repairing or escaping it:

* ``site_url``: ``https://`` + host name + optional path,
  e.g. ``https://clinic.example`` or ``https://user.github.io/repo``;
* ``endpoint_url``: the same with an optional port, e.g.
  ``https://formspree.io/f/abcdwxyz`` (``http://127.0.0.1:8001/…`` too,
  for the local preview, when asked);
* ``host_name``: one host name alone, e.g. ``clinic.example``;
* ``preview_number``: the number of the change a preview shows (a pull
  request's number), a positive whole number; ``preview_path`` is the
  folder of the published branch that preview lives in.

What they allow, exactly:

* a **host name** is DNS labels of small Latin letters, digits and inner
  hyphens (at most 63 characters each, 253 in all), at least two labels, the
  last one not all digits (so no IP addresses), no dot at the end. Capitals
  are lower-cased. A name in another script (``кліника.укр``) is turned
  into its ``xn--`` form, provided that form spells back exactly what was
  written (a look-alike that IDNA would silently change is refused).
  ``localhost`` and IP addresses are refused: the published site and its
  form are on the public web. The one exception is ``endpoint_url(...,
  allow_local_http=True)``, which also takes ``http://127.0.0.1:<port>``
  and ``http://localhost:<port>``, the preview's local receiver.
* a **path** is segments of Latin letters, digits, ``-``, ``.``, ``_``,
  ``~`` and ``%``-escapes, separated by single ``/`` (no ``.`` or ``..``
  segments). Nothing else: no query (``?``), no fragment (``#``), no user
  name (``user@``), no quotes, ``;``, ``,``, ``*``, spaces or control
  characters anywhere.

Spaces and line breaks *around* a value (a secret pasted with a newline at
its end) are dropped; anywhere else they are refused.

Every function returns the cleaned value or raises ``SettingError``, whose
message is one sentence: the setting, its value, what is wrong with it and
what to write instead. Plain Python, no Pelican: ``publishconf.py`` and
the plugins both use it.
"""

import importlib.util
import re
import sys
import unicodedata
from pathlib import Path

try:
    from . import messages
except ImportError:  # publishconf.py loads this file alone, without the plugin
    _spec = importlib.util.spec_from_file_location("clinic_editor_messages", Path(__file__).with_name("messages.py"))
    messages = sys.modules.setdefault("clinic_editor_messages", importlib.util.module_from_spec(_spec))
    if not hasattr(messages, "Message"):
        _spec.loader.exec_module(messages)
_e = messages._e

__all__ = ["SettingError", "site_url", "endpoint_url", "host_name", "preview_number", "preview_path", "PREVIEW_FOLDER",
           "messages"]


class SettingError(ValueError):
    """A setting that is not what it must be.

    ``str(error)`` is one sentence naming the setting, what is wrong and how
    to fix it, in the editor's language; ``message`` is that sentence as a
    messages.Message.
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# One DNS label, in its ASCII (LDH) form.
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# One path segment: unreserved characters and %-escapes only.
_SEGMENT = re.compile(r"(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+")
_PORT = re.compile(r"[1-9][0-9]{0,4}")
_MAX_HOST_LENGTH = 253

_SITE_ADVICE = _e(
    "set it to the site's address: https://, a host name and optionally a path, "
    "e.g. https://clinic.example or https://user.github.io/repo"
)
_ENDPOINT_ADVICE = _e(
    "set it to the form provider's https:// address for the form, "
    "e.g. https://formspree.io/f/abcdwxyz"
)
_LOCAL_ENDPOINT_ADVICE = _e(
    "set it to the form provider's https:// address for the form, "
    "e.g. https://formspree.io/f/abcdwxyz, or to a local receiver, "
    "e.g. http://127.0.0.1:8001/callback"
)
_HOST_ADVICE = _e(
    "set it to the site's own domain alone (no https://, path, port or spaces), "
    "e.g. clinic.example, or leave it empty for no CNAME file"
)
_LOCAL_HOSTS = ("127.0.0.1", "localhost")


def _shown(value, limit=80):
    """The value as a message quotes it: on one line, and not too long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "…" + text[0]


def _refuse(name, value, problem, advice):
    raise SettingError(_e("{name} is {value}, which {problem}; {advice}.", name=name, value=_shown(value),
                          problem=problem, advice=advice))


def _character_problem(text):
    """What is wrong with the characters of `text`, or None."""
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            if ch in "\n\r\x0b\x0c\x85\u2028\u2029":
                return _e("contains a line break ({character})", character=repr(ch))
            return _e("contains a control character ({character})", character=repr(ch))
        if ch.isspace() or category == "Zs":
            return _e("contains a space ({character})", character=repr(ch))
    return None


def _stripped(value, name, advice):
    if not isinstance(value, str):
        _refuse(name, value, _e("is not text"), advice)
    text = value.strip()
    problem = _character_problem(text)
    if problem:
        _refuse(name, value, problem, advice)
    return text


def _ascii_host(host):
    """`host` as ASCII DNS labels, or (None, what is wrong with it)."""
    if not host:
        return None, _e("has no host name")
    if host.endswith("."):
        return None, _e("ends its host name {host} with a dot (leave the dot out)", host=_shown(host, 40))
    for ch in host:
        if ch.isascii() and not (ch.isalnum() or ch in ".-"):
            return None, _e("has {character} in its host name {host} (only letters, digits, hyphens and dots are "
                            "allowed)", character=repr(ch), host=_shown(host, 40))
    labels = []
    for label in host.lower().split("."):
        if not label:
            return None, _e("has an empty part (two dots in a row) in its host name {host}", host=_shown(host, 40))
        if not label.isascii():
            try:
                ascii_label = label.encode("idna").decode("ascii")
                spelled_back = ascii_label.encode("ascii").decode("idna")
            except UnicodeError:
                return None, _e("has a part {part} in its host name that is not a valid international name",
                                part=_shown(label, 40))
            if spelled_back != label:
                return None, _e("has a part {part} in its host name that IDNA would change to {changed} (write the "
                                "name you mean, or its xn-- form)", part=_shown(label, 40),
                                changed=_shown(spelled_back, 40))
            label = ascii_label
        elif label.startswith("xn--"):
            try:
                label.encode("ascii").decode("idna")
            except UnicodeError:
                return None, _e("has a part {part} in its host name that is not a valid xn-- name",
                                part=_shown(label, 40))
        if not _LABEL.fullmatch(label):
            return None, _e("has a part {part} in its host name that is not a DNS label (letters, digits and inner "
                            "hyphens, at most 63 characters)", part=_shown(label, 40))
        labels.append(label)
    ascii_host = ".".join(labels)
    if len(labels) < 2:
        return None, _e("has {host} as its host name, which is not a full domain name like clinic.example",
                        host=_shown(host, 40))
    if labels[-1].isdigit():
        return None, _e("has an IP address ({host}) instead of a host name", host=_shown(host, 40))
    if len(ascii_host) > _MAX_HOST_LENGTH:
        return None, _e("has a host name longer than {limit} characters", limit=_MAX_HOST_LENGTH)
    return ascii_host, None


def _path_problem(path, allow_trailing_slash):
    """What is wrong with `path` ('' or starting with '/'), or None."""
    if not path:
        return None
    segments = path[1:].split("/")
    if allow_trailing_slash and segments[-1] == "":
        segments = segments[:-1]
    for segment in segments:
        if not segment:
            return _e("has an empty part (two slashes in a row) in its path {path}", path=_shown(path, 40))
        if segment in (".", ".."):
            return _e("has {segment} in its path {path}", segment=repr(segment), path=_shown(path, 40))
        if not _SEGMENT.fullmatch(segment):
            bad = next(
                (ch for ch in segment if not (ch.isascii() and (ch.isalnum() or ch in "._~-%"))),
                "%",
            )
            if bad == "%":
                return _e("has a '%' in its path {path} that is not followed by two hex digits", path=_shown(path, 40))
            return _e("has {character} in its path {path} (only letters, digits, '-', '.', '_', '~' and %-escapes are "
                      "allowed)", character=repr(bad), path=_shown(path, 40))
    return None


def _split_url(text, name, value, schemes, advice):
    """(scheme, authority, path) of an absolute URL, or SettingError."""
    scheme, separator, rest = text.partition("://")
    scheme = scheme.lower()
    if separator and scheme == "http" and "http" not in schemes:
        _refuse(name, value, _e("starts with http://, not https://"), advice)
    if not separator or scheme not in schemes:
        wanted = messages.joined([f"{s}://" for s in schemes], _e(" or "))
        _refuse(name, value, _e("does not start with {wanted}", wanted=wanted), advice)
    if "*" in text:
        _refuse(name, value, _e("contains a '*' (a wildcard would allow other addresses)"), advice)
    authority, slash, path = rest.partition("/")
    path = slash + path
    if "@" in authority:
        _refuse(name, value, _e("has a user name or password before '@'"), advice)
    if "#" in rest:
        _refuse(name, value, _e("has a fragment ('#…')"), advice)
    if "?" in rest:
        _refuse(name, value, _e("has a query ('?…')"), advice)
    return scheme, authority, path


def site_url(value, name="SITE_URL"):
    """The published site's address, e.g. ``https://user.github.io/repo``.

    ``https://``, a host name (see the module's notes) and an optional path;
    no port, user name, query or fragment. Returned with the host in lower
    case (``xn--`` form for other scripts) and without a trailing ``/``.
    """
    text = _stripped(value, name, _SITE_ADVICE)
    if not text:
        _refuse(name, value, _e("is empty"), _SITE_ADVICE)
    scheme, authority, path = _split_url(text, name, value, ("https",), _SITE_ADVICE)
    host, colon, port = authority.partition(":")
    if colon:
        _refuse(name, value, _e("has a port (':…') after its host name"), _SITE_ADVICE)
    ascii_host, problem = _ascii_host(host)
    if problem:
        _refuse(name, value, problem, _SITE_ADVICE)
    path = path.rstrip("/")
    problem = _path_problem(path, allow_trailing_slash=False)
    if problem:
        _refuse(name, value, problem, _SITE_ADVICE)
    return f"https://{ascii_host}{path}"


def endpoint_url(value, name="CALLBACK_ENDPOINT", allow_local_http=False):
    """The call-back form's endpoint, e.g. ``https://formspree.io/f/abcdwxyz``.

    ``https://``, a host name (see the module's notes), an optional port and
    an optional path; no user name, query, fragment, wildcard, quote,
    ``;`` or ``,``: nothing that could widen or break the
    Content-Security-Policy source built from it. With
    ``allow_local_http=True``, also exactly ``http://127.0.0.1:<port>/…``
    or ``http://localhost:<port>/…`` (the preview's local receiver).
    Returned with scheme and host in lower case, the path as written.
    """
    advice = _LOCAL_ENDPOINT_ADVICE if allow_local_http else _ENDPOINT_ADVICE
    text = _stripped(value, name, advice)
    if not text:
        _refuse(name, value, _e("is empty"), advice)
    schemes = ("https", "http") if allow_local_http else ("https",)
    scheme, authority, path = _split_url(text, name, value, schemes, advice)
    host, colon, port = authority.partition(":")
    if colon and not (_PORT.fullmatch(port) and int(port) <= 65535):
        _refuse(name, value, _e("has {port} as its port, which is not a port number (1 to 65535)", port=repr(port)),
                advice)
    if scheme == "http":
        if host.lower() not in _LOCAL_HOSTS or not colon:
            _refuse(name, value, _e("uses http:// for an address other than http://127.0.0.1:<port> or "
                                    "http://localhost:<port>"), advice)
        ascii_host = host.lower()
    else:
        ascii_host, problem = _ascii_host(host)
        if problem:
            _refuse(name, value, problem, advice)
    problem = _path_problem(path, allow_trailing_slash=True)
    if problem:
        _refuse(name, value, problem, advice)
    return f"{scheme}://{ascii_host}{colon}{port}{path}"


def host_name(value, name="SITE_DOMAIN"):
    """One host name alone, e.g. ``clinic.example``, for the CNAME file.

    No scheme, path, port or spaces; lower-cased (``xn--`` form for other
    scripts). An empty value is allowed and returned as ``""``: no CNAME.
    """
    text = _stripped(value, name, _HOST_ADVICE)
    if not text:
        return ""
    if "://" in text:
        _refuse(name, value, _e("is an address, not a host name"), _HOST_ADVICE)
    if "/" in text:
        _refuse(name, value, _e("has a path ('/…')"), _HOST_ADVICE)
    if "*" in text:
        _refuse(name, value, _e("contains a '*' (a wildcard)"), _HOST_ADVICE)
    if ":" in text:
        _refuse(name, value, _e("has a port or a scheme (':…')"), _HOST_ADVICE)
    ascii_host, problem = _ascii_host(text)
    if problem:
        _refuse(name, value, problem, _HOST_ADVICE)
    return ascii_host


# The folder of the published branch that holds the previews of changes
# (one sub-folder per change, see preview_path). A normal publish keeps it;
# the live site's robots.txt keeps crawlers out of it.
PREVIEW_FOLDER = "pr-preview"
# A pull request's number: digits only, no sign, no leading zero.
_PREVIEW_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
_PREVIEW_ADVICE = _e("give the number of the change (the pull request's number), e.g. 7")


def preview_number(value, name="PREVIEW_NUMBER"):
    """The number of the change a preview shows, e.g. ``7``, as an int.

    Only a positive whole number written in digits: it becomes a folder of
    the published branch and part of every address of the preview, so
    nothing else (a sign, a space, a ``/`` or ``..``) may reach them. An
    empty value is allowed and returned as ``0``: no preview.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        _refuse(name, value, _e("is not a positive whole number"), _PREVIEW_ADVICE)
    text = _stripped(value, name, _PREVIEW_ADVICE) if isinstance(value, str) else str(value)
    if text == "":
        return 0
    if not _PREVIEW_NUMBER.fullmatch(text):
        _refuse(name, value, _e("is not a positive whole number"), _PREVIEW_ADVICE)
    return int(text)


def preview_path(number):
    """The preview of change `number`'s folder, relative to the site:
    ``pr-preview/pr-7``."""
    return f"{PREVIEW_FOLDER}/pr-{preview_number(number)}"
