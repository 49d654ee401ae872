"""The call-back form, in Debian's Chromium against a stand-in provider.

The stand-in (tools/callback_receiver.py) answers as Formspree documents:
200 JSON for a script's post, 422 with errors[], 500, a redirect to `_next`
for a plain post; or it never answers, or it is down.
"""

import re

import pytest

from conftest import LANGS, lang_prefix
from test_accessibility import axe_violations, describe

ARTICLE = "lumbar-pain/"
TITLES = {
    "uk": "Біль у попереку – чи допоможе масаж?",
    "en": "Lumbar pain – can massage help?",
    "ru": "Боль в пояснице – поможет ли массаж?",
}
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


def open_form(page, site_url, lang="uk", path=ARTICLE):
    page.goto(f"{site_url}/{lang_prefix(lang)}{path}")
    return page.locator("form[data-module='callback-form']")


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


@pytest.mark.parametrize("path", ["lumbar-pain/index.html", "contacts/index.html"])
@pytest.mark.parametrize("lang", LANGS)
def test_form_is_on_articles_and_contacts_with_the_contract_fields(html_pages, settings, callback_receiver, site_port, lang, path):
    soup = html_pages[lang_prefix(lang) + path]
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
    # The script comes along, deferred; the header's call-back link jumps to the form.
    script = soup.select_one("script[defer][src]")
    assert re.fullmatch(r"/theme/site\.[0-9a-f]{10}\.js", script["src"])
    assert soup.select_one(".mc-nav__callback")["href"] == "#callback"


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
def test_a_request_is_sent_and_confirmed_in_each_language(page, site_url, site_port, callback_endpoint, lang):
    form = open_form(page, site_url, lang)
    fill(form, name="Олена Петренко", phone="097 055 22 00", message="Після 18:00", location="holosiivskyi")
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
    locations = {"uk": "Голосіївський проспект, 70, оф. 334", "en": "70 Holosiivskyi Avenue, office 334", "ru": "Голосеевский проспект, 70, оф. 334"}
    assert request["fields"] == {
        "name": "Олена Петренко",
        "phone": "+380970552200",
        "location": locations[lang],
        "message": "Після 18:00",
        "consent": "yes",
        "page": f"{site}/{lang_prefix(lang)}lumbar-pain/",
        "lang": lang,
        "_subject": SUBJECTS[lang] + TITLES[lang],
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


def assert_failure_keeps_everything(page, form, lang="en"):
    failure = page.locator("[data-failure]")
    failure.wait_for(state="visible")
    assert page.evaluate("document.activeElement.hasAttribute('data-failure')")
    assert failure.locator("a[href='tel:+380970552200']").count() == 1
    assert typed_values(form) == {"name": "Олена", "phone": "097 055 22 00", "message": "Будь ласка, ввечері", "consent": True}
    button = form.locator("button[type=submit]")
    assert button.is_enabled()
    return failure


def test_a_server_error_keeps_everything_and_a_retry_sends(page, site_url, callback_endpoint):
    callback_endpoint.behaviour = "fail"
    form = open_form(page, site_url, "en")
    fill(form, message="Будь ласка, ввечері")
    submit(form)
    failure = assert_failure_keeps_everything(page, form)
    assert "We could not send your request" in failure.inner_text()
    callback_endpoint.behaviour = "accept"
    submit(form)
    page.locator("[data-done]").wait_for(state="visible")
    assert len(callback_endpoint.requests) == 2
    assert not failure.is_visible()


def test_an_endpoint_that_is_down_keeps_everything(page, site_url, callback_endpoint):
    form = open_form(page, site_url, "en")
    callback_endpoint.stop()  # connections are now refused
    fill(form, message="Будь ласка, ввечері")
    submit(form)
    assert_failure_keeps_everything(page, form)


def test_an_endpoint_that_never_answers_times_out_after_15_seconds(page, site_url, callback_endpoint):
    callback_endpoint.behaviour = "hang"
    page.clock.install()
    form = open_form(page, site_url, "en")
    fill(form, message="Будь ласка, ввечері")
    submit(form)
    wait_for_requests(page, callback_endpoint, 1)
    button = form.locator("button[type=submit]")
    assert button.is_disabled() and button.inner_text() == "Sending…"
    page.clock.run_for(14_000)
    assert not page.locator("[data-failure]").is_visible()
    page.clock.run_for(1_500)
    assert_failure_keeps_everything(page, form)


def test_a_double_click_sends_once(page, site_url, callback_endpoint):
    callback_endpoint.behaviour = "hang"  # keep the first request in flight
    form = open_form(page, site_url, "en")
    fill(form)
    form.locator("button[type=submit]").dblclick()
    wait_for_requests(page, callback_endpoint, 1)
    form.locator("button[type=submit]").click(force=True)
    page.wait_for_timeout(300)
    assert len(callback_endpoint.requests) == 1


# --- Without JavaScript --------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_browser_posts_and_lands_on_the_thank_you_page(browser, site_url, site_port, callback_endpoint, lang):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        form = open_form(page, site_url, lang)
        fill(form, phone="(097) 055-22-00")
        submit(form)
        page.wait_for_url(f"{site_url}/{lang_prefix(lang)}thanks/")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("main a[href='tel:+380970552200']").count() == 1
        fields = callback_endpoint.requests[0]["fields"]
        assert fields["phone"] == "(097) 055-22-00"  # as typed: only the script normalises
        assert fields["_gotcha"] == "" and fields["consent"] == "yes" and fields["lang"] == lang
        assert fields["_next"] == f"http://127.0.0.1:{site_port}/{lang_prefix(lang)}thanks/"
    finally:
        context.close()


def test_without_javascript_the_browser_still_requires_the_fields(browser, site_url, callback_endpoint):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        form = open_form(page, site_url, "en")
        submit(form)
        page.wait_for_timeout(300)
        assert callback_endpoint.requests == []
        assert re.search(r"/en/lumbar-pain/$", page.url)
    finally:
        context.close()


# --- Keyboard and accessibility ----------------------------------------------------


def test_the_form_can_be_completed_with_the_keyboard_alone(page, site_url, callback_endpoint):
    page.goto(f"{site_url}/en/lumbar-pain/")
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
    page.keyboard.press("Enter")
    page.locator("[data-done]").wait_for(state="visible")
    fields = callback_endpoint.requests[0]["fields"]
    assert (fields["name"], fields["phone"], fields["location"], fields["message"]) == (
        "Olena", "+380970552200", "12 Natalii Uzhvii Street", "Evenings",
    )


@pytest.mark.parametrize("lang", LANGS)
def test_axe_reports_no_violations_with_errors_and_failure_shown(page, site_url, callback_endpoint, lang):
    form = open_form(page, site_url, lang)
    submit(form)
    page.locator("[data-error-summary]").wait_for(state="visible")
    result = axe_violations(page)
    assert not result["violations"], describe(result["violations"])
    callback_endpoint.behaviour = "fail"
    fill(form, message="")
    submit(form)
    page.locator("[data-failure]").wait_for(state="visible")
    result = axe_violations(page)
    assert not result["violations"], describe(result["violations"])
