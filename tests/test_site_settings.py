"""The address settings read from the environment (plugins/clinic/site_settings.py)
and publishconf.py, which stops the build with one sentence when one is wrong."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clinic.messages import _e

ROOT = Path(__file__).resolve().parent.parent


def load_site_settings():
    # From its file, as publishconf.py loads it: a plain module, no Pelican.
    spec = importlib.util.spec_from_file_location("site_settings_under_test", ROOT / "plugins/clinic/site_settings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


site_settings = load_site_settings()
SettingError = site_settings.SettingError

# Wrong in every kind of address: whitespace, control characters, two lines,
# wildcards, CSP separators and quotes, user names, other schemes.
BAD_ANYWHERE = [
    "",
    "   ",
    "https://exa mple.org",
    "https://example.org/a b",
    "https://example.org/a\tb",
    "https://exa\tmple.org",
    "https://example.org\nhttps://evil.example",
    "https://example.org/\r\nX-Evil: 1",
    "https://example.org\x00",
    "https://example.org/\x7f",
    "https://exa\u200bmple.org",  # zero-width space
    "https://example.org/\u2028x",
    "https://example.org\u00a0/x",
    "https://*.example.org",
    "https://example.org/*",
    "*",
    "https://example.org;",
    "https://example.org/f;script-src",
    "https://example.org 'unsafe-inline'",
    "https://example.org/'",
    'https://example.org/"',
    "https://example.org/f,https://evil.example",
    "https://a@b",
    "https://user:pass@example.org",
    "https://user@example.org/f",
    "https://example.org/x?y",
    "https://example.org?y",
    "https://example.org/#top",
    "https://example.org#top",
    "http://example.org",
    "HTTP://example.org",
    "ftp://example.org",
    "javascript:alert(1)",
    "data:text/html,x",
    "//example.org",
    "example.org/path",
    "https:/example.org",
    "https://",
    "https:///path",
    "https://.example.org",
    "https://example..org",
    "https://example.org.",
    "https://-example.org",
    "https://example-.org",
    "https://exa_mple.org",
    "https://example.org\\path",
    "https://example.org/<script>",
    "https://example.org/a%zz",
    "https://example.org/a//b",
    "https://example.org/../etc",
    "https://localhost",
    "https://example",
    "https://127.0.0.1",
    "https://[::1]/f",
    "https://" + "a" * 64 + ".org",
    "https://" + ".".join(["abcdefghij"] * 25) + ".org",
    "https://straße.de",  # IDNA 2003 would silently turn it into strasse.de
    "https://ｅxample.org",  # full-width letter, folded to "example"
    "https://exa\u00admple.org",  # soft hyphen, silently dropped by IDNA
    "https://xn--zz.org",  # not valid punycode
    "https://example\u3002org",  # ideographic full stop
    None,
    b"https://example.org",
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org", "https://example.org"),
        ("https://example.org/", "https://example.org"),
        ("https://user.github.io/repo", "https://user.github.io/repo"),
        ("https://user.github.io/repo/", "https://user.github.io/repo"),
        ("https://Clinic.Example", "https://clinic.example"),
        ("HTTPS://clinic.example", "https://clinic.example"),
        ("  https://clinic.example\n", "https://clinic.example"),  # a pasted secret
        ("https://www.clinic-kyiv.com.ua/site_v2/uk~x", "https://www.clinic-kyiv.com.ua/site_v2/uk~x"),
        ("https://example.org/a%20b", "https://example.org/a%20b"),
        ("https://кліника.укр", "https://xn--80apfbdm8o.xn--j1amh"),
        ("https://xn--80apfbdm8o.xn--j1amh/", "https://xn--80apfbdm8o.xn--j1amh"),
        ("https://1.2.3.example", "https://1.2.3.example"),
    ],
)
def test_site_url_accepts_and_cleans(value, expected):
    assert site_settings.site_url(value, "SITE_URL") == expected


@pytest.mark.parametrize(
    "value",
    BAD_ANYWHERE + ["https://example.org:8443", "https://example.org:443/x", "https://example.org:"],
)
def test_site_url_refuses(value):
    with pytest.raises(SettingError) as refused:
        site_settings.site_url(value, "SITE_URL")
    assert_one_sentence(refused.value, "SITE_URL")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://formspree.io/f/abcdwxyz", "https://formspree.io/f/abcdwxyz"),
        ("https://forms.example/f/clinic/", "https://forms.example/f/clinic/"),
        ("https://forms.example", "https://forms.example"),
        ("https://forms.example:8443/f/x", "https://forms.example:8443/f/x"),
        ("https://Forms.Example/F/AbC", "https://forms.example/F/AbC"),
        (" https://submit-form.com/AbC_12-x\n", "https://submit-form.com/AbC_12-x"),
        ("https://форма.укр/f", "https://xn--80axfis.xn--j1amh/f"),
    ],
)
def test_endpoint_url_accepts_and_cleans(value, expected):
    assert site_settings.endpoint_url(value, "CALLBACK_ENDPOINT") == expected


@pytest.mark.parametrize(
    "value",
    BAD_ANYWHERE
    + [
        "https://forms.example:0/f",
        "https://forms.example:65536/f",
        "https://forms.example:08443/f",
        "https://forms.example:/f",
        "https://forms.example:https/f",
        "https://forms.example:*/f",
        "http://127.0.0.1:8001/callback",  # only with allow_local_http
        "http://localhost:8001/callback",
    ],
)
def test_endpoint_url_refuses(value):
    with pytest.raises(SettingError) as refused:
        site_settings.endpoint_url(value, "CALLBACK_ENDPOINT")
    assert_one_sentence(refused.value, "CALLBACK_ENDPOINT")


@pytest.mark.parametrize(
    "value",
    [
        "http://127.0.0.1:8001/callback",
        "http://localhost:8001/callback",
        "http://LOCALHOST:8001",
        "http://127.0.0.1:65535/",
        "https://formspree.io/f/abcdwxyz",
    ],
)
def test_endpoint_url_takes_the_local_receiver_when_asked(value):
    assert site_settings.endpoint_url(value, "CALLBACK_ENDPOINT", allow_local_http=True) == value.replace("LOCALHOST", "localhost")


@pytest.mark.parametrize(
    "value",
    [
        "http://127.0.0.1/callback",  # no port
        "http://127.0.0.2:8001/callback",
        "http://localhost.example:8001/callback",
        "http://example.org:8001/callback",
        "http://0.0.0.0:8001/callback",
        "http://[::1]:8001/callback",
        "http://127.0.0.1:8001/callback *",
        "http://127.0.0.1:8001/callback;",
        "http://user@127.0.0.1:8001/callback",
        "http://127.0.0.1:8001/callback?x",
        "http://127.0.0.1:99999/callback",
        "ws://127.0.0.1:8001/callback",
    ],
)
def test_the_local_exception_is_exactly_loopback_with_a_port(value):
    with pytest.raises(SettingError) as refused:
        site_settings.endpoint_url(value, "CALLBACK_ENDPOINT", allow_local_http=True)
    assert_one_sentence(refused.value, "CALLBACK_ENDPOINT")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("  \n", ""),
        ("clinic.example", "clinic.example"),
        ("Clinic.Example", "clinic.example"),
        ("www.clinic-kyiv.com.ua\n", "www.clinic-kyiv.com.ua"),
        ("\tclinic.example\t", "clinic.example"),  # whitespace around a value is dropped
        ("кліника.укр", "xn--80apfbdm8o.xn--j1amh"),
    ],
)
def test_host_name_accepts_and_cleans(value, expected):
    assert site_settings.host_name(value, "SITE_DOMAIN") == expected


@pytest.mark.parametrize(
    "value",
    [
        "clinic.example\nevil.example",
        "clinic.example\r\nevil.example",
        "clinic.example evil.example",
        "clinic .example",
        "https://clinic.example",
        "clinic.example/",
        "clinic.example/path",
        "clinic.example:443",
        "*.clinic.example",
        "user@clinic.example",
        "clinic.example.",
        "clinic..example",
        "localhost",
        "127.0.0.1",
        "clinic",
        "clinic_example.org",
        "clinic.example;",
        "'clinic.example'",
        "straße.de",
        "clinic.example\x00",
        None,
    ],
)
def test_host_name_refuses(value):
    with pytest.raises(SettingError) as refused:
        site_settings.host_name(value, "SITE_DOMAIN")
    assert_one_sentence(refused.value, "SITE_DOMAIN")


def test_a_message_says_what_is_wrong_and_what_to_write():
    with pytest.raises(SettingError) as refused:
        site_settings.endpoint_url("https://forms.example/f/x *", "CALLBACK_ENDPOINT")
    # Which message, with which parts (as the module passes them), shown in English.
    message = refused.value.message
    assert message.render("en") == ("CALLBACK_ENDPOINT is 'https://forms.example/f/x *', which contains a space (' '); "
                                    "set it to the form provider's https:// address for the form, e.g. "
                                    "https://formspree.io/f/abcdwxyz.")
    assert str(refused.value) == message.render(site_settings.messages.language())  # shown in the editor's language
    with pytest.raises(SettingError) as refused:
        site_settings.site_url("https://example.org/x?y", "SITE_URL")
    # (this module is loaded from its file, as publishconf.py loads it: with its own copy of the messages)
    assert refused.value.message.arguments["problem"] == site_settings.messages._e("has a query ('?…')")
    assert refused.value.message.arguments["advice"].id.startswith("set it to the site's address")
    with pytest.raises(SettingError) as refused:
        site_settings.host_name("clinic.example\nevil.example", "SITE_DOMAIN")
    assert refused.value.message.arguments["problem"] == site_settings.messages._e("contains a line break ({character})",
                                                                                   character="'\\n'")
    # A long value is shortened in the message.
    with pytest.raises(SettingError) as refused:
        site_settings.site_url("https://example.org/" + "x" * 500 + " y", "SITE_URL")
    assert len(str(refused.value)) < 400


def assert_one_sentence(error, name):
    """The refusal's message names the setting, what is wrong and what to
    write, on one printable line in every language."""
    message = error.message
    assert message.id == "{name} is {value}, which {problem}; {advice}." and message.arguments["name"] == name
    assert message.arguments["advice"].id.startswith("set it to ")
    for lang in site_settings.messages.EDITOR_LANGUAGES:
        said = message.render(lang)
        assert said.endswith(".") and said.isprintable(), said  # one line: no raw line break or control character


try:
    from hypothesis import given, strategies
    from hypothesis import settings as hypothesis_settings
except ImportError:  # hypothesis is a test dependency; without it, the examples above still run
    given = None

if given is not None:
    # Strings made of the pieces of addresses, good and bad.
    PIECES = list("ahxn.-:/@?#*;,' \t\n%_~é1") + ["https://", "http://", "кл", "\u200b", "example", ".org"]
    URLISH = strategies.lists(strategies.sampled_from(PIECES), max_size=12).map("".join)

    @hypothesis_settings(max_examples=400, deadline=None)
    @given(strategies.one_of(URLISH, strategies.text(max_size=40)))
    def test_whatever_is_accepted_is_a_clean_source_expression(value):
        """Anything accepted is one https origin plus a plain path: nothing
        that could add a source to the Content-Security-Policy."""
        for check in (site_settings.site_url, site_settings.endpoint_url):
            try:
                cleaned = check(value, "X")
            except SettingError as error:
                assert str(error).isprintable()
                continue
            assert cleaned.startswith("https://")
            assert cleaned.isascii() and cleaned.isprintable()
            assert not set(cleaned) & set(" \t\n*;,'\"?#@\\<>")
        try:
            host = site_settings.host_name(value, "X")
        except SettingError:
            return
        assert host == "" or (host.isascii() and set(host) <= set("abcdefghijklmnopqrstuvwxyz0123456789.-"))


# A refusal of the environment variable `name` as publishconf.py words it
# (its value, what is wrong, what to write: as in the module's messages).
def refusal(name, value, problem, advice):
    return _e("{name} is {value}, which {problem}; {advice}.", name=_e("the environment variable {name}", name=name),
              value=value, problem=problem, advice=advice)


ENDPOINT_ADVICE = _e("set it to the form provider's https:// address for the form, e.g. https://formspree.io/f/abcdwxyz")


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("CALLBACK_ENDPOINT", "https://forms.example/f/x 'unsafe-inline'",
         refusal("CALLBACK_ENDPOINT", "\"https://forms.example/f/x 'unsafe-inline'\"",
                 _e("contains a space ({character})", character="' '"), ENDPOINT_ADVICE)),
        ("CALLBACK_ENDPOINT", "https://*.example.org/f",
         refusal("CALLBACK_ENDPOINT", "'https://*.example.org/f'",
                 _e("contains a '*' (a wildcard would allow other addresses)"), ENDPOINT_ADVICE)),
        ("SITE_URL", "https://example.org/x?y",
         refusal("SITE_URL", "'https://example.org/x?y'", _e("has a query ('?…')"),
                 _e("set it to the site's address: https://, a host name and optionally a path, e.g. "
                    "https://clinic.example or https://user.github.io/repo"))),
        ("SITE_DOMAIN", "clinic.example\nevil.example",
         refusal("SITE_DOMAIN", "'clinic.example\\nevil.example'",
                 _e("contains a line break ({character})", character="'\\n'"),
                 _e("set it to the site's own domain alone (no https://, path, port or spaces), e.g. clinic.example, "
                    "or leave it empty for no CNAME file"))),
        ("SITE_DOMAIN", "other.example",
         _e("SITE_DOMAIN is {domain} but SITE_URL {url} is on another host; the site is served at its domain, so set "
            "SITE_URL=https://{host} (with the path, if any) or leave SITE_DOMAIN empty.", domain="'other.example'",
            url="'https://clinic.example'", host="other.example")),
        ("SITE_URL", "", _e("set the environment variable {name} to an https:// address ({state}), e.g. {example} "
                            "invoke preview.", name="SITE_URL", state=_e("it is empty"),
                            example="SITE_URL=https://clinic.example")),
    ],
)
def test_publishconf_stops_with_one_sentence(variable, value, expected):
    environment = dict(
        os.environ,
        SITE_URL="https://clinic.example",
        CALLBACK_ENDPOINT="https://forms.example/f/clinic",
        SITE_DOMAIN="clinic.example",
    )
    environment[variable] = value
    environment.pop("EDITOR_LANGUAGE", None)  # pelicanconf.py's: Ukrainian
    result = subprocess.run(
        [sys.executable, "-c", "import publishconf"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    # That message, with its parameters, in the editor's language.
    assert lines[0] == "publishconf.py: " + expected.render("uk")


def test_publishconf_keeps_the_cleaned_values():
    environment = dict(
        os.environ,
        SITE_URL=" https://Clinic.Example/ \n",
        CALLBACK_ENDPOINT="https://Forms.Example/f/clinic\n",
        SITE_DOMAIN="CLINIC.example",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import publishconf as p; print(p.SITEURL, p.ABSOLUTE_SITEURL, p.CALLBACK_ENDPOINT, p.SITE_DOMAIN)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "https://clinic.example",
        "https://clinic.example",
        "https://forms.example/f/clinic",
        "clinic.example",
    ]
