"""The call-back form, in Debian's Chromium against a stand-in provider.

The stand-in (tools/callback_receiver.py) answers as Formspree documents:
200 JSON for a script's post, 422 with errors[], 500, a redirect to `_next`
for a plain post; or as a misconfigured provider or a broken network would
(an HTML page, a redirect elsewhere, no CORS header, a dropped connection);
or it never answers, or it is down.

What the visitor is told must be true in every case: "thank you" only for
the provider's success JSON or its redirect to our thank-you page; "we could
not send" only when the provider answered that it did not take the request;
"it may have arrived, we could not confirm it" whenever it may have; "you
are offline" only when nothing was sent. The texts are the catalogues'
(theme/translations), in each language. Once a request may have arrived, the
form never invites a duplicate: calling comes first, and nothing but a
button that says the request may arrive twice sends it again.
"""

import functools
import gettext
import io
import re
from http.server import SimpleHTTPRequestHandler

import pytest
from babel.messages.mofile import write_mo
from playwright.sync_api import expect
from babel.messages.pofile import read_po

from conftest import LANGS, ROOT, QuietHandler, lang_prefix
from test_accessibility import axe_violations, describe

# The article page the form is tried on, in each language: the newest
# article of the content (conftest.sample_pages), set for every test below.
SAMPLE_ARTICLES = {}
SUBJECTS = {
    "uk": "Запит на зворотний дзвінок: ",
    "en": "Call-back request: ",
    "ru": "Запрос на обратный звонок: ",
}
CONFIRMATIONS = {
    "uk": "Дякуємо! Ми отримали вашу заявку",
    "en": "Thank you! We have your request",
    "ru": "Спасибо! Мы получили вашу заявку",
}
FORM_FIELDS = ["name", "phone", "location", "message", "consent", "page", "lang", "_subject", "_next", "_gotcha"]

# The three ways the form says it has no confirmation (their English msgids).
FAILED = "We could not send your request. What you typed is kept: please try again, or call us:"
UNCERTAIN = (
    "Your request may have reached us, but we could not confirm it. "
    "What you typed is kept. To make sure we have it, please call us:"
)
OFFLINE = (
    "You are offline, so nothing was sent. "
    "What you typed is kept: send it again when you are back online, or call us:"
)
# The deliberate second sending, once a request may have arrived.
SEND_AGAIN = "Send again anyway — we may get it twice"
COUNT = ("%(count)s of %(num)d character", "%(count)s of %(num)d characters")
AT_MOST = ("At most %(num)d character.", "At most %(num)d characters.")
TOO_LONG = {
    "name": ("Shorten your name to at most %(num)d character", "Shorten your name to at most %(num)d characters"),
    "message": ("Shorten your comment to at most %(num)d character", "Shorten your comment to at most %(num)d characters"),
}


@functools.cache
def catalogue(lang):
    """The theme's translations into `lang`, as the build uses them."""
    if lang == "en":
        return gettext.NullTranslations()
    with (ROOT / "theme" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(po_file, locale=lang))
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def text(lang, message):
    return catalogue(lang).gettext(message)


def plural(lang, forms, num, **values):
    return catalogue(lang).ngettext(*forms, num) % dict(values, num=num)


@pytest.fixture(autouse=True)
def sample_articles(sample_pages):
    SAMPLE_ARTICLES.update({lang: sample_pages[lang]["article"] for lang in LANGS})


def open_form(page, site_url, lang="uk", path=None, scripted=True):
    """Go to the page and to its form, as a visitor does; `scripted`: wait
    until the form's script, which comes then, has taken the form."""
    page.goto(f"{site_url}/{lang_prefix(lang)}{path or SAMPLE_ARTICLES[lang]}")
    form = page.locator("form[data-module='callback-form']")
    form.scroll_into_view_if_needed()
    if scripted:
        page.locator("form[data-module='callback-form'][novalidate]").wait_for()  # the script sets it
    return form


def fill(form, name="Олена", phone="097 055 22 00", message="", consent=True, location=None):
    form.locator("[name=name]").fill(name)
    form.locator("[name=phone]").fill(phone)
    form.locator("[name=message]").fill(message)
    if location is not None:
        form.locator(f"#callback-location-{location}").check()
    if consent:
        form.locator("[name=consent]").check()


def submit(form):
    form.locator("button[type=submit]").click()


def typed_values(form):
    return {
        "name": form.locator("[name=name]").input_value(),
        "phone": form.locator("[name=phone]").input_value(),
        "message": form.locator("[name=message]").input_value(),
        "consent": form.locator("[name=consent]").is_checked(),
    }


def wait_for_requests(page, receiver, count):
    for _ in range(50):
        if len(receiver.requests) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the endpoint got {len(receiver.requests)} requests, not {count}")


# --- The markup: the contract with the provider --------------------------------


@pytest.mark.parametrize("path", ["article", "contacts/"])
@pytest.mark.parametrize("lang", LANGS)
def test_form_is_on_articles_and_contacts_with_the_contract_fields(html_pages, settings, callback_receiver, site_port, lang, path):
    path = SAMPLE_ARTICLES[lang] if path == "article" else path
    soup = html_pages[lang_prefix(lang) + path + "index.html"]
    forms = soup.select("form[data-module=callback-form]")
    assert len(forms) == 1
    form = forms[0]
    assert form["action"] == callback_receiver.url
    assert form["method"] == "post"
    assert "enctype" not in form.attrs  # urlencoded, the default
    names = []
    for element in form.select("input, textarea, select"):
        if element["name"] not in names:
            names.append(element["name"])
    assert names == FORM_FIELDS
    name = form.select_one("[name=name]")
    assert name.has_attr("required") and name["autocomplete"] == "name"
    phone = form.select_one("[name=phone]")
    assert phone.has_attr("required") and phone["type"] == "tel" and phone["autocomplete"] == "tel"
    consent = form.select_one("[name=consent]")
    assert consent.has_attr("required") and consent["type"] == "checkbox"
    privacy = form.select_one("label[for=callback-consent] a")["href"]
    assert privacy == f"/{lang_prefix(lang)}privacy/"
    hidden = {element["name"]: element["value"] for element in form.select("input[type=hidden]")}
    site = f"http://127.0.0.1:{site_port}"
    assert hidden["page"] == f"{site}/{lang_prefix(lang)}{path.removesuffix('index.html')}"
    assert hidden["lang"] == lang
    assert hidden["_next"] == f"{site}/{lang_prefix(lang)}thanks/"
    assert hidden["_subject"].startswith(SUBJECTS[lang])
    assert len(form.select("[name=location]")) == 1 + len(settings["LOCATIONS"])
    trap = form.select_one("[name=_gotcha]")
    assert trap["tabindex"] == "-1" and trap.get("value") == ""
    assert trap.find_parent(attrs={"aria-hidden": "true"})
    # The form names its script, which its loader brings when the visitor
    # comes to the form; the header's call-back link jumps to the form.
    assert re.fullmatch(r"/theme/site\.[0-9a-f]{10}\.js", form["data-script"])
    assert not soup.select("script[src]")
    assert soup.select_one(".mc-nav__callback")["href"] == "#callback"


@pytest.mark.parametrize("lang", LANGS)
def test_the_limits_from_the_settings_are_stated_and_nothing_is_cut(html_pages, settings, lang):
    form = html_pages[lang_prefix(lang) + SAMPLE_ARTICLES[lang] + "index.html"].select_one("form[data-module=callback-form]")
    limits = settings["CALLBACK_FIELD_LIMITS"]
    assert set(limits) == {"name", "message"}
    for field, limit in limits.items():
        control = form.select_one(f"[name={field}]")
        # maxlength would make the browser cut a longer paste without a word.
        assert not control.has_attr("maxlength")
        assert control["data-limit"] == str(limit)
        # The hint states the limit, for visitors without JavaScript too.
        hint = form.select_one(f"#callback-{field}-hint")
        assert hint["id"] in control["aria-describedby"].split()
        assert hint.get_text().endswith(plural(lang, AT_MOST, limit))
        # The script's texts, in the page's language ("{n}" is the count).
        assert control["data-count"] == plural(lang, COUNT, limit, count="{n}")
        assert control["data-error-too-long"] == plural(lang, TOO_LONG[field], limit)


@pytest.mark.parametrize("lang", LANGS)
def test_the_privacy_notice_states_the_comments_limit(html_pages, settings, lang):
    # The notice is typed by people: this keeps it in step with the setting.
    limit = settings["CALLBACK_FIELD_LIMITS"]["message"]
    notice = html_pages[lang_prefix(lang) + "privacy/index.html"].select_one("main")
    collected = [item.get_text() for item in notice.select("li")]
    assert any(re.search(rf"(?<!\d){limit}(?!\d)", item) for item in collected), collected


def test_pages_without_the_form_send_the_call_back_link_to_contacts(html_pages):
    soup = html_pages["en/privacy/index.html"]
    assert not soup.select("form")
    assert not soup.select("script[src]")  # only the JSON-LD data block
    assert soup.select_one(".mc-nav__callback")["href"] == "/en/contacts/#callback"


def test_the_honeypot_is_invisible_and_never_focusable(page, site_url, callback_endpoint):
    form = open_form(page, site_url)
    trap = form.locator("[name=_gotcha]")
    assert not trap.is_visible()
    for _ in range(40):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") != "_gotcha"


# --- With JavaScript ---------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_request_is_sent_and_confirmed_in_each_language(page, site_url, site_port, callback_endpoint, settings, articles, lang):
    location = settings["LOCATIONS"][-1]
    form = open_form(page, site_url, lang)
    fill(form, name="Олена Петренко", phone="097 055 22 00", message="Після 18:00", location=location["id"])
    submit(form)
    done = page.locator("[data-done]")
    done.wait_for(state="visible")
    assert CONFIRMATIONS[lang] in done.inner_text()
    assert done.get_attribute("role") == "status"
    assert page.evaluate("document.activeElement.hasAttribute('data-done')")
    assert not form.is_visible()
    assert len(callback_endpoint.requests) == 1
    request = callback_endpoint.requests[0]
    assert request["headers"]["Accept"] == "application/json"
    assert request["headers"]["Content-Type"].startswith("application/x-www-form-urlencoded")
    site = f"http://127.0.0.1:{site_port}"
    url = lang_prefix(lang) + SAMPLE_ARTICLES[lang]
    title = next(entry["title"] for _, article_lang, entry in articles if article_lang == lang and entry["url"] == url)
    assert request["fields"] == {
        "name": "Олена Петренко",
        "phone": "+380970552200",
        "location": location["street"][lang],
        "message": "Після 18:00",
        "consent": "yes",
        "page": f"{site}/{url}",
        "lang": lang,
        "_subject": SUBJECTS[lang] + title,
        "_next": f"{site}/{lang_prefix(lang)}thanks/",
        "_gotcha": "",
    }


@pytest.mark.parametrize("typed", ["+380 97 055 22 00", "097 055 22 00", "(097) 055-22-00", "380970552200", "8 097 055 22 00"])
def test_phone_numbers_as_people_type_them_are_sent_normalised(page, site_url, callback_endpoint, typed):
    form = open_form(page, site_url, "en")
    fill(form, phone=typed)
    submit(form)
    page.locator("[data-done]").wait_for(state="visible")
    assert callback_endpoint.requests[0]["fields"]["phone"] == "+380970552200"


def error_summary_links(page):
    return page.locator("[data-error-summary] a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.textContent])"
    )


def test_an_empty_form_lists_every_problem_and_sends_nothing(page, site_url, callback_endpoint):
    form = open_form(page, site_url, "en")
    submit(form)
    summary = page.locator("[data-error-summary]")
    summary.wait_for(state="visible")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert error_summary_links(page) == [
        ["#callback-name", "Enter your name"],
        ["#callback-phone", "Enter your phone number"],
        ["#callback-consent", "Tick the box to agree to the privacy notice"],
    ]
    for field in ("name", "phone", "consent"):
        control = form.locator(f"[name={field}]")
        assert control.get_attribute("aria-invalid") == "true"
        error = page.locator(f"#callback-{field}-error")
        assert error.is_visible()
        assert f"callback-{field}-error" in control.get_attribute("aria-describedby").split()
    assert form.locator("[name=phone]").get_attribute("aria-describedby").split()[0] == "callback-phone-hint"
    # A link in the summary takes the visitor to the field.
    page.locator("[data-error-summary] a[href='#callback-phone']").click()
    assert page.evaluate("document.activeElement.id") == "callback-phone"
    page.wait_for_timeout(200)
    assert callback_endpoint.requests == []


@pytest.mark.parametrize(
    "missing, expected",
    [
        ("name", [["#callback-name", "Введіть своє ім’я"]]),
        ("phone", [["#callback-phone", "Введіть свій номер телефону"]]),
        ("bad-phone", [["#callback-phone", "Введіть український номер телефону: 10 цифр, що починаються з 0, або номер, що починається з +380"]]),
        ("consent", [["#callback-consent", "Позначте, що погоджуєтеся з повідомленням про конфіденційність"]]),
    ],
)
def test_each_problem_alone_is_shown_and_nothing_typed_is_cleared(page, site_url, callback_endpoint, missing, expected):
    form = open_form(page, site_url, "uk")
    values = {"name": "Олена", "phone": "097 055 22 00", "message": "Зранку", "consent": True}
    if missing == "bad-phone":
        values["phone"] = "12345"
    elif missing == "consent":
        values["consent"] = False
    else:
        values[missing] = ""
    fill(form, **values)
    submit(form)
    page.locator("[data-error-summary]").wait_for(state="visible")
    assert error_summary_links(page) == expected
    assert typed_values(form) == values
    # Fixing it clears the messages and sends.
    fill(form, name="Олена", phone="097 055 22 00", message="Зранку", consent=True)
    submit(form)
    page.locator("[data-done]").wait_for(state="visible")
    assert len(callback_endpoint.requests) == 1


def test_the_providers_field_errors_are_shown_beside_the_field(page, site_url, callback_endpoint):
    callback_endpoint.behaviour = "reject-phone"
    form = open_form(page, site_url, "en")
    fill(form, message="Mornings")
    submit(form)
    error = page.locator("#callback-phone-error")
    error.wait_for(state="visible")
    assert error.inner_text() == "should be a phone number"
    assert form.locator("[name=phone]").get_attribute("aria-invalid") == "true"
    assert error_summary_links(page) == [["#callback-phone", "should be a phone number"]]
    assert typed_values(form) == {"name": "Олена", "phone": "097 055 22 00", "message": "Mornings", "consent": True}
    assert form.locator("button[type=submit]").is_enabled()


TYPED = {"name": "Олена", "phone": "097 055 22 00", "message": "Будь ласка, ввечері", "consent": True}


def assert_failure_keeps_everything(page, form, settings, lang, message, typed=TYPED, may_have_arrived=None):
    """The failure box says `message` (and nothing else), has the focus,
    offers calling first, and every typed value is still there.

    Where a request may have arrived (`may_have_arrived`; by default when
    the message says so), the form's own button is gone and the only one
    that sends again says the request may arrive twice; otherwise the
    form's button sends again as usual (nothing arrived)."""
    if may_have_arrived is None:
        may_have_arrived = message == UNCERTAIN
    failure = page.locator("[data-failure]")
    # As seen: the other messages are there, hidden, for the script to show.
    expect(failure.locator("p")).to_have_text(text(lang, message), use_inner_text=True)
    assert page.evaluate("document.activeElement.hasAttribute('data-failure')")
    # Calling is the first thing in the message to press, and a big target.
    call = failure.locator("a[href='tel:+380970552200']")
    expect(call).to_have_text(settings["PHONE"]["display"])
    first = "document.querySelector('[data-failure]').querySelector('a[href], button:not([hidden])').href"
    assert page.evaluate(first) == "tel:+380970552200"
    assert call.bounding_box()["height"] >= 48
    assert typed_values(form) == typed
    assert form.is_visible() and page.locator("[data-done]").inner_text() == ""
    button = form.locator("button[type=submit]")
    resend = failure.locator("[data-resend]")
    if may_have_arrived:
        expect(button).to_be_hidden()
        expect(resend).to_have_text(text(lang, SEND_AGAIN))
        assert resend.is_enabled()
        assert call.bounding_box()["y"] < resend.bounding_box()["y"]  # under the call, smaller
        assert call.bounding_box()["width"] >= resend.bounding_box()["width"]
    else:
        expect(resend).to_be_hidden()
        assert button.is_visible() and button.is_enabled()
    return failure


# The provider answered that it did not take the request: nothing arrived.
REFUSALS = [
    pytest.param("fail", "uk", id="500"),
    pytest.param("forbidden", "en", id="403-without-errors"),
    pytest.param("reject-form", "ru", id="403-errors-naming-no-field"),
    pytest.param("ok-false", "uk", id="200-ok-false"),
]


@pytest.mark.parametrize("behaviour, lang", REFUSALS)
def test_after_a_refusal_the_forms_button_sends_again(page, site_url, settings, callback_endpoint, behaviour, lang):
    callback_endpoint.behaviour = behaviour
    form = open_form(page, site_url, lang)
    fill(form, message=TYPED["message"])
    submit(form)
    failure = assert_failure_keeps_everything(page, form, settings, lang, FAILED)
    callback_endpoint.behaviour = "accept"
    submit(form)
    page.locator("[data-done]").wait_for(state="visible")
    assert len(callback_endpoint.requests) == 2
    assert not failure.is_visible()


@pytest.fixture
def served_as_github_pages(monkeypatch):
    """The site served with the header GitHub Pages (and Cloudflare Pages)
    sends with every file, `Access-Control-Allow-Origin: *`: after the
    provider's redirect, the form's script may read where it ended."""

    def end_headers(handler):
        handler.send_header("Access-Control-Allow-Origin", "*")
        SimpleHTTPRequestHandler.end_headers(handler)

    monkeypatch.setattr(QuietHandler, "end_headers", end_headers)


@pytest.mark.parametrize("lang", LANGS)
def test_a_redirect_to_our_thank_you_page_is_the_providers_success(page, site_url, served_as_github_pages, callback_endpoint, lang):
    # As Formspree answers a post it took without JavaScript: a 303 to the
    # `_next` address the form sent.
    callback_endpoint.behaviour = "redirect"
    form = open_form(page, site_url, lang)
    fill(form)
    submit(form)
    done = page.locator("[data-done]")
    done.wait_for(state="visible")
    assert CONFIRMATIONS[lang] in done.inner_text()
    assert not form.is_visible()
    assert len(callback_endpoint.requests) == 1
    assert page.url == f"{site_url}/{lang_prefix(lang)}{SAMPLE_ARTICLES[lang]}"  # the visitor stays on the page


@pytest.mark.parametrize("behaviour", ["redirect-home", "redirect-elsewhere"])
def test_a_readable_redirect_anywhere_else_is_no_confirmation(page, site_url, served_as_github_pages, settings, callback_endpoint, behaviour):
    # Readable, and yet not our thank-you page: our home page, or the
    # provider's own page. Neither says the provider took the request.
    callback_endpoint.behaviour = behaviour
    form = open_form(page, site_url, "en")
    fill(form, message=TYPED["message"])
    submit(form)
    assert_failure_keeps_everything(page, form, settings, "en", UNCERTAIN)
    assert len(callback_endpoint.requests) == 1


def assert_nothing_obvious_sends_again(page, form, receiver, sent):
    """After an outcome where the request may have arrived, nothing a
    visitor does next without reading sends another one: the form's button is
    gone (the only button left in the form says it may arrive twice), and
    Enter (on the message, in a field) or the hidden button itself only bring
    the visitor back to the message."""
    shown = form.locator("button").evaluate_all("buttons => buttons.filter(b => b.checkVisibility()).map(b => b.hasAttribute('data-resend'))")
    assert shown == [True]
    page.keyboard.press("Enter")  # the focus is on the message
    form.locator("[name=name]").press("Enter")  # Enter in a field submits a form
    page.evaluate("document.querySelector('form[data-module] button[type=submit]').click()")
    page.evaluate("document.querySelector('form[data-module]').requestSubmit()")
    page.wait_for_timeout(500)
    assert len(receiver.requests) == sent
    assert page.evaluate("document.activeElement.hasAttribute('data-failure')")


# Every outcome where the request may have arrived (nothing we can read says
# it was taken or refused), in turn in each language. The request reached the
# receiver in every case but "down".
MAY_HAVE_ARRIVED = [
    # A 200 page may be the provider's own thank-you page (it ignored
    # Accept) or a Wi-Fi login page (it never left): "failed" could be false.
    pytest.param("html-200", "uk", id="200-html"),
    pytest.param("no-ok", "en", id="200-json-without-ok"),
    # A redirect to our thank-you page that the script may not read: the
    # site's host does not let other origins read the page (no CORS header:
    # this test server sends none, as Netlify without a `_headers` rule; on
    # GitHub Pages it is the provider's success, see above). To a script this
    # is the same error as a provider that is down.
    pytest.param("redirect", "ru", id="303-to-thanks-unreadable"),
    # A redirect anywhere but our thank-you page: the provider's own page.
    pytest.param("redirect-elsewhere", "uk", id="303-elsewhere"),
    # The provider took it but its answer lacks the CORS header: the browser
    # hides it from the script (a TypeError, as for a network error).
    pytest.param("no-cors", "en", id="no-cors-header"),
    # The connection closed before an answer: it may have been handled.
    pytest.param("drop", "ru", id="connection-dropped"),
    # A gateway failed or gave up waiting: the provider behind it may have it.
    pytest.param("bad-gateway", "uk", id="502"),
    pytest.param("gateway-timeout", "en", id="504"),
    # Refused connections are the same TypeError as the cases above.
    pytest.param("down", "ru", id="endpoint-down"),
    # No answer within the time-out: it is still being handled, or lost.
    pytest.param("hang", "uk", id="time-out"),
]


@pytest.mark.parametrize("behaviour, lang", MAY_HAVE_ARRIVED)
def test_where_it_may_have_arrived_the_next_click_sends_nothing_and_sending_again_is_deliberate(
    page, site_url, settings, callback_endpoint, behaviour, lang
):
    if behaviour == "hang":
        page.clock.install()
    form = open_form(page, site_url, lang)
    fill(form, message=TYPED["message"])
    if behaviour == "down":
        callback_endpoint.stop()  # connections are refused
    else:
        callback_endpoint.behaviour = behaviour
    submit(form)
    if behaviour == "hang":
        wait_for_requests(page, callback_endpoint, 1)
        page.clock.run_for(settings["CALLBACK_TIMEOUT_SECONDS"] * 1000 + 500)
    assert_failure_keeps_everything(page, form, settings, lang, UNCERTAIN)
    sent = len(callback_endpoint.requests)
    assert sent == (0 if behaviour == "down" else 1)
    assert all(request["fields"]["message"] == TYPED["message"] for request in callback_endpoint.requests)
    # From now on the provider takes every request it gets.
    if behaviour == "down":
        callback_endpoint.start()
    callback_endpoint.behaviour = "accept"
    assert_nothing_obvious_sends_again(page, form, callback_endpoint, sent)
    # Sending again is a choice, made knowing it may arrive twice.
    page.locator("[data-resend]").click()
    page.locator("[data-done]").wait_for(state="visible")
    assert len(callback_endpoint.requests) == sent + 1
    assert callback_endpoint.requests[-1]["fields"]["message"] == TYPED["message"]


def test_after_it_may_have_arrived_a_refusal_still_sends_again_only_on_purpose(page, site_url, settings, callback_endpoint):
    # The second request was refused, but the first may still have arrived.
    callback_endpoint.behaviour = "gateway-timeout"
    form = open_form(page, site_url, "en")
    fill(form, message=TYPED["message"])
    submit(form)
    assert_failure_keeps_everything(page, form, settings, "en", UNCERTAIN)
    callback_endpoint.behaviour = "fail"
    resend = page.locator("[data-resend]")
    resend.click()
    wait_for_requests(page, callback_endpoint, 2)
    assert_failure_keeps_everything(page, form, settings, "en", FAILED, may_have_arrived=True)
    assert_nothing_obvious_sends_again(page, form, callback_endpoint, 2)
    # While the second request is on its way, the button says so and waits.
    callback_endpoint.behaviour = "hang"
    resend.click()
    wait_for_requests(page, callback_endpoint, 3)
    assert resend.is_disabled() and resend.inner_text() == "Sending…"
    resend.click(force=True)
    page.wait_for_timeout(300)
    assert len(callback_endpoint.requests) == 3


def test_the_providers_errors_naming_no_field_are_a_failure_not_a_summary(page, site_url, settings, callback_endpoint):
    # "Form not found" is nothing the visitor can correct in the form.
    callback_endpoint.behaviour = "reject-form"
    form = open_form(page, site_url, "en")
    fill(form, message=TYPED["message"])
    submit(form)
    assert_failure_keeps_everything(page, form, settings, "en", FAILED)
    assert not page.locator("[data-error-summary]").is_visible()


def test_an_endpoint_that_is_down_may_have_it_so_it_says_so(page, site_url, settings, callback_endpoint):
    # Refused connections, an unknown host, a network that drops mid-way
    # and a missing CORS header after the provider took the request are one
    # and the same TypeError to a script: "we could not send" would be false
    # in some of them, so the form says it could not confirm the request.
    form = open_form(page, site_url, "en")
    callback_endpoint.stop()  # connections are now refused
    fill(form, message=TYPED["message"])
    submit(form)
    assert_failure_keeps_everything(page, form, settings, "en", UNCERTAIN)


@pytest.mark.parametrize("lang", LANGS)
def test_offline_nothing_is_sent_and_it_says_so(page, site_url, settings, callback_endpoint, lang):
    form = open_form(page, site_url, lang)
    fill(form, message=TYPED["message"])
    page.context.set_offline(True)  # navigator.onLine is false
    submit(form)
    assert_failure_keeps_everything(page, form, settings, lang, OFFLINE)
    page.context.set_offline(False)
    assert callback_endpoint.requests == []
    submit(form)
    page.locator("[data-done]").wait_for(state="visible")
    assert len(callback_endpoint.requests) == 1


def test_an_endpoint_that_never_answers_times_out_after_15_seconds(page, site_url, settings, callback_endpoint):
    callback_endpoint.behaviour = "hang"
    page.clock.install()
    form = open_form(page, site_url, "en")
    fill(form, message=TYPED["message"])
    submit(form)
    wait_for_requests(page, callback_endpoint, 1)
    button = form.locator("button[type=submit]")
    assert button.is_disabled() and button.inner_text() == "Sending…"
    page.clock.run_for(14_000)
    assert not page.locator("[data-failure]").is_visible()
    page.clock.run_for(1_500)
    # The request went out and is still being handled: it may well arrive.
    assert_failure_keeps_everything(page, form, settings, "en", UNCERTAIN)


# --- Limits: counted, checked, never cut ---------------------------------------------


def paste(page, control, value):
    """Put `value` in as a paste does (a browser would cut it at maxlength)."""
    control.focus()
    page.keyboard.insert_text(value)


def counter(page, field):
    return page.locator(f"#callback-{field}-count")


@pytest.mark.parametrize("lang", LANGS)
def test_a_long_paste_is_kept_whole_counted_and_not_sent(page, site_url, settings, callback_endpoint, lang):
    limits = settings["CALLBACK_FIELD_LIMITS"]
    form = open_form(page, site_url, lang)
    assert counter(page, "message").inner_text() == plural(lang, COUNT, limits["message"], count=0)
    assert counter(page, "name").inner_text() == plural(lang, COUNT, limits["name"], count=0)
    long_name = "Олена Петренко-Задорожна " * 5
    long_message = "Зателефонуйте, будь ласка, після 18:00, я на роботі до шостої. " * 10
    assert len(long_name) > limits["name"] and len(long_message) > limits["message"]
    paste(page, form.locator("[name=name]"), long_name)
    form.locator("[name=phone]").fill("097 055 22 00")
    paste(page, form.locator("[name=message]"), long_message)
    form.locator("[name=consent]").check()
    typed = {"name": long_name, "phone": "097 055 22 00", "message": long_message, "consent": True}
    assert typed_values(form) == typed  # nothing cut
    for field, value in (("name", long_name), ("message", long_message)):
        shown = counter(page, field)
        assert shown.inner_text() == plural(lang, COUNT, limits[field], count=len(value))
        assert "mc-field__count--over" in shown.get_attribute("class")
    submit(form)
    page.locator("[data-error-summary]").wait_for(state="visible")
    too_long = {field: plural(lang, TOO_LONG[field], limits[field]) for field in limits}
    assert error_summary_links(page) == [["#callback-name", too_long["name"]], ["#callback-message", too_long["message"]]]
    for field in limits:
        assert page.locator(f"#callback-{field}-error").inner_text() == too_long[field]
        assert form.locator(f"[name={field}]").get_attribute("aria-invalid") == "true"
    assert typed_values(form) == typed
    page.wait_for_timeout(300)
    assert callback_endpoint.requests == []
    # Shortened to the limits exactly, both are sent whole.
    form.locator("[name=name]").fill(long_name[: limits["name"]])
    form.locator("[name=message]").fill(long_message[: limits["message"]])
    assert "mc-field__count--over" not in counter(page, "message").get_attribute("class")
    submit(form)
    page.locator("[data-done]").wait_for(state="visible")
    fields = callback_endpoint.requests[0]["fields"]
    assert (fields["name"], fields["message"]) == (long_name[: limits["name"]], long_message[: limits["message"]])


def test_characters_are_counted_as_people_count_them(page, site_url, callback_endpoint):
    form = open_form(page, site_url, "en")
    form.locator("[name=message]").fill("Дзвоніть 👍")
    assert counter(page, "message").inner_text() == "10 of 500 characters"


def test_the_count_is_read_out_only_near_the_limit_once_typing_pauses(page, site_url, settings, callback_endpoint):
    limit = settings["CALLBACK_FIELD_LIMITS"]["message"]
    page.clock.install()
    form = open_form(page, site_url, "en")
    message = form.locator("[name=message]")
    live = page.locator("[data-count-live]")
    assert live.get_attribute("aria-live") == "polite"
    # The counter is shown at every keystroke; a screen reader does not
    # hear it at every keystroke (it would drown what is being typed).
    assert counter(page, "message").get_attribute("aria-hidden") == "true"
    paste(page, message, "x" * (limit // 2))
    page.clock.run_for(2_000)
    assert live.text_content() == ""  # far from the limit: silent
    paste(page, message, "x" * (limit * 9 // 10 - limit // 2))  # 90 %: near
    assert live.text_content() == ""
    page.clock.run_for(600)
    page.keyboard.type("y")  # still typing: the pause starts again
    page.clock.run_for(600)
    assert live.text_content() == ""
    page.clock.run_for(500)
    assert live.text_content() == f"{limit * 9 // 10 + 1} of {limit} characters"
    paste(page, message, "z" * limit)
    page.clock.run_for(1_100)
    assert live.text_content() == f"{limit * 19 // 10 + 1} of {limit} characters"
    message.fill("")
    page.clock.run_for(1_100)
    assert live.text_content() == ""


def test_a_double_click_sends_once(page, site_url, callback_endpoint):
    callback_endpoint.behaviour = "hang"  # keep the first request in flight
    form = open_form(page, site_url, "en")
    fill(form)
    form.locator("button[type=submit]").dblclick()
    wait_for_requests(page, callback_endpoint, 1)
    form.locator("button[type=submit]").click(force=True)
    page.wait_for_timeout(300)
    assert len(callback_endpoint.requests) == 1


# --- When the script comes ---------------------------------------------------------


def script_requests(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url) if request.resource_type == "script" else None)
    return requests


def test_the_forms_script_comes_only_when_the_visitor_comes_to_the_form(page, site_url):
    # Most visitors read and leave: the first view is the page alone.
    page.set_viewport_size({"width": 390, "height": 400})  # the form is below the first screen of any article
    requests = script_requests(page)
    page.goto(f"{site_url}/en/{SAMPLE_ARTICLES['en']}", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert requests == [] and page.locator("form[novalidate]").count() == 0
    page.locator(".mc-nav__callback").click()  # the header's link jumps to the form
    page.locator("form[novalidate]").wait_for()
    script = page.locator("form[data-script]").get_attribute("data-script")
    assert len(requests) == 1 and requests[0].endswith(script)
    page.locator("[name=name]").focus()
    page.wait_for_timeout(200)
    assert len(requests) == 1  # once


def test_a_field_that_gets_the_focus_brings_the_script_too(page, site_url):
    page.set_viewport_size({"width": 390, "height": 400})
    requests = script_requests(page)
    page.goto(f"{site_url}/en/{SAMPLE_ARTICLES['en']}", wait_until="networkidle")
    page.evaluate("document.querySelector('[name=phone]').focus({preventScroll: true})")  # not scrolled to
    page.locator("form[novalidate]").wait_for()
    assert len(requests) == 1


# Every layout shift from the moment it is called, whatever its cause, with
# or without recent input.
OBSERVE_LAYOUT_SHIFTS = """() => {
  window.layoutShifts = [];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) window.layoutShifts.push(entry.value);
  }).observe({type: "layout-shift"});
}"""
# Two frames and a moment: whatever a change moves has been laid out and
# reported by then.
SETTLE = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 200))))"
FORM_SPACE = "() => { const box = document.querySelector('form[data-script]').getBoundingClientRect(); return [box.height, box.width, document.documentElement.scrollHeight]; }"


def layout_when_the_script_comes(page, site_url, lang, width, markup_change="", script_change=""):
    """Open the article at `width`, scroll to the form while its script is
    held back, then let the script come and run. Return the layout shifts
    from the page's load to after the script ran, and the form's space (its
    height and width, and the page's height) before and after.
    For the guard: `markup_change` is run on the page as it loads,
    `script_change` after the script."""
    held = []
    page.route("**/theme/site.*.js", lambda route: held.append(route))
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{site_url}/{lang_prefix(lang)}{SAMPLE_ARTICLES[lang]}", wait_until="load")
    page.evaluate(f"() => {{ {markup_change} }}")
    page.evaluate(OBSERVE_LAYOUT_SHIFTS)
    page.evaluate("document.querySelector('form[data-script]').scrollIntoView()")
    for _ in range(50):  # the form's loader asks for the script
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1, "the form's script was not asked for when the form came into view"
    page.evaluate(SETTLE)
    assert page.locator("form[novalidate]").count() == 0  # the script has not run
    space_before = page.evaluate(FORM_SPACE)
    script = held[0].fetch()
    held[0].fulfill(response=script, body=script.text() + script_change)
    page.locator("form[novalidate]").wait_for()
    page.evaluate(SETTLE)
    return page.evaluate("window.layoutShifts"), space_before, page.evaluate(FORM_SPACE)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", LANGS)
def test_the_form_takes_the_same_space_before_and_after_its_script_comes(page, site_url, lang, width):
    # CLS 0: the script writes the counters in the lines the form already has.
    shifts, space_before, space_after = layout_when_the_script_comes(page, site_url, lang, width)
    assert sum(shifts) == 0, shifts
    assert space_after == space_before
    assert page.locator("#callback-message-count").inner_text() != ""


def test_the_layout_shift_check_sees_a_script_that_moves_the_form(page, site_url):
    # Guards the test above: counters hidden until the script shows them
    # (as the form once had them) move the page, and the check says so.
    counters = "document.querySelectorAll('.mc-field__count').forEach(function (count) { count.hidden = %s; });"
    shifts, space_before, space_after = layout_when_the_script_comes(
        page, site_url, "en", 390, markup_change=counters % "true", script_change=counters % "false"
    )
    assert sum(shifts) > 0
    assert space_after != space_before


# --- Without JavaScript --------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_browser_posts_and_lands_on_the_thank_you_page(browser, site_url, site_port, callback_endpoint, lang):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        form = open_form(page, site_url, lang, scripted=False)
        long_message = "Після 18:00. " * 50  # over the limit: nothing checks it without the script, nothing cuts it
        fill(form, phone="(097) 055-22-00", message=long_message)
        submit(form)
        page.wait_for_url(f"{site_url}/{lang_prefix(lang)}thanks/")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("main a[href='tel:+380970552200']").count() == 1
        fields = callback_endpoint.requests[0]["fields"]
        assert fields["phone"] == "(097) 055-22-00"  # as typed: only the script normalises
        assert fields["message"] == long_message
        assert fields["_gotcha"] == "" and fields["consent"] == "yes" and fields["lang"] == lang
        assert fields["_next"] == f"http://127.0.0.1:{site_port}/{lang_prefix(lang)}thanks/"
    finally:
        context.close()


def test_without_javascript_the_browser_still_requires_the_fields(browser, site_url, callback_endpoint):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        form = open_form(page, site_url, "en", scripted=False)
        submit(form)
        page.wait_for_timeout(300)
        assert callback_endpoint.requests == []
        assert page.url.endswith(f"/en/{SAMPLE_ARTICLES['en']}")
    finally:
        context.close()


# --- Keyboard and accessibility ----------------------------------------------------


def test_the_form_can_be_completed_with_the_keyboard_alone(page, site_url, callback_endpoint):
    page.goto(f"{site_url}/en/{SAMPLE_ARTICLES['en']}")
    # The header's call-back link jumps to the form.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('mc-nav__callback')"):
            break
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "callback-name"
    page.keyboard.type("Olena")
    page.keyboard.press("Tab")
    page.keyboard.type("097 055 22 00")
    page.keyboard.press("Tab")  # into the location radios
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Evenings")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "callback-consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the privacy notice link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.locator("form[novalidate]").wait_for()  # the form's script came when the link jumped to the form
    page.keyboard.press("Enter")
    page.locator("[data-done]").wait_for(state="visible")
    fields = callback_endpoint.requests[0]["fields"]
    assert (fields["name"], fields["phone"], fields["location"], fields["message"]) == (
        "Olena", "+380970552200", "12 Natalii Uzhvii Street", "Evenings",
    )


@pytest.mark.parametrize("lang", LANGS)
def test_axe_reports_no_violations_with_errors_and_every_message_shown(page, site_url, settings, callback_endpoint, lang):
    form = open_form(page, site_url, lang)
    paste(page, form.locator("[name=message]"), "x" * (settings["CALLBACK_FIELD_LIMITS"]["message"] + 1))
    submit(form)  # three fields missing, the comment too long (its counter in red)
    page.locator("[data-error-summary]").wait_for(state="visible")
    result = axe_violations(page)
    assert not result["violations"], describe(result["violations"])
    fill(form, message=TYPED["message"])
    typed = dict(TYPED, name="Олена")
    # Refused; then it may have arrived (calling first, sending again on
    # purpose); then, sent again on purpose, offline.
    for behaviour, message in (("fail", FAILED), ("no-cors", UNCERTAIN), ("offline", OFFLINE)):
        callback_endpoint.behaviour = behaviour
        page.context.set_offline(behaviour == "offline")
        if behaviour == "offline":
            page.locator("[data-resend]").click()
        else:
            submit(form)
        assert_failure_keeps_everything(page, form, settings, lang, message, typed, may_have_arrived=behaviour != "fail")
        result = axe_violations(page)
        assert not result["violations"], (behaviour, describe(result["violations"]))
