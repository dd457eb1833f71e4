"""Lead capture in a real browser: a CTA form posts to a local endpoint with
the visit's attribution, keeps the first touch across pages, works without
JavaScript, and the key pages pass axe-core's WCAG 2.2 AA rules, with no violation of any impact."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote

import pytest

from publisher.build.pipeline import BuildOptions, build

from .browser import AXE_WCAG_22_AA, serve_folder

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[2]
UTM_SOURCE_IS_X = "() => document.querySelector('form[data-publisher-form] [name=utm_source]').value === 'x'"


class Endpoint:
    """A form handler on loopback that records every submission."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.delay = 0.0  # seconds before it answers, as a real form service takes a moment
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                fields = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
                endpoint.received.append({k: v[0] for k, v in fields.items()})
                time.sleep(endpoint.delay)
                body = b"<!doctype html><title>Thanks</title><p>Thanks!</p>"
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the browser left for another request of the page
                    return

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/leads"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    running = Endpoint()
    yield running
    running.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, endpoint: Endpoint) -> Iterator[str]:
    """The sample hub with its forms pointed at the local endpoint, served on loopback."""
    yield from served_hub(tmp_path_factory.mktemp("hub"), endpoint.url)


def served_hub(root: Path, action: str, provider: str = "",
               edit: Callable[[Path], None] | None = None) -> Iterator[str]:
    """The sample hub in `root`, every form posting to `action` (with `provider`, if given), served on loopback;
    `edit` changes the copy's files before the build."""
    for name in ("content", "static", "publisher.toml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            shutil.copy(source, root / name)
    config = root / "publisher.toml"
    text = config.read_text()
    forms = f'[forms]\naction = "{action}"\n' + (f'provider = "{provider}"\n' if provider else "")
    if "[forms]" in text:
        text = text.replace("[forms]", f"{forms}[ignored-forms]", 1)
    else:
        text += f"\n{forms}"
    config.write_text(text)
    for cta in (root / "content" / "ctas").glob("*.md"):  # every CTA posts to the test's endpoint
        cta.write_text(cta.read_text().replace("action:", "ignored_action:"))
    if edit is not None:
        edit(root)
    output = root / "output"
    with serve_folder(output) as url:
        build(BuildOptions(config=config, output=output, base_url=url, use_cache=False))
        yield url


def first_post_with_form(base: str, page) -> str:
    page.goto(base)
    for link in page.locator("main a[href]").evaluate_all("links => links.map(a => a.href)"):
        if link.startswith(base) and link.rstrip("/").count("/") == 3 and "/tags/" not in link:
            page.goto(link)
            if page.locator("form[data-publisher-form]").count():
                return link
    pytest.fail("no post with a CTA form on the home page")


def submit(page, email: str) -> None:
    form = page.locator("form[data-publisher-form]").first
    form.locator("input[type=email]").fill(email)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_form_carries_post_cta_and_first_touch_attribution(site: str, endpoint: Endpoint, browser: Browser) -> None:
    post = first_post_with_form(site, browser.new_page())
    page = browser.new_context().new_page()  # a fresh visitor: this is their first touch
    page.goto(post + "?utm_source=x&utm_medium=social&utm_campaign=slug&utm_content=announce")
    page.wait_for_function(UTM_SOURCE_IS_X)
    before = len(endpoint.received)
    submit(page, "reader@example.com")
    lead = endpoint.received[before]
    email_value = next(v for k, v in lead.items() if k in ("email", "EMAIL", "email_address"))
    assert email_value == "reader@example.com"
    assert lead["post"] and lead["cta"] and lead["page"].startswith(site)
    utm = (lead["utm_source"], lead["utm_medium"], lead["utm_campaign"], lead["utm_content"])
    assert utm == ("x", "social", "slug", "announce")
    assert lead["landing_page"].startswith(site)
    honeypots = [k for k in lead if k in ("website", "_gotcha", "bot-field", "website_url") or k.startswith("b_")]
    assert honeypots and all(lead[k] == "" for k in honeypots)

    # A second page, reached without UTM parameters: the first touch is kept.
    page.goto(site + "about/")
    page.goto(post)
    page.wait_for_function(UTM_SOURCE_IS_X)
    submit(page, "again@example.com")
    second = endpoint.received[-1]
    assert second["utm_source"] == "x" and second["utm_campaign"] == "slug"
    assert second["last_touch"].startswith("x|social|slug")


def test_a_mailchimp_form_sends_the_attribution_under_merge_tags(tmp_path: Path, endpoint: Endpoint,
                                                                 browser: Browser) -> None:
    """Mailchimp keeps a field only under a merge tag (upper case, at most 10 characters): the campaign, the
    content and the landing page arrive as UTM_CAMPGN, UTM_CONTNT and LANDING, filled from the visit."""
    for site in served_hub(tmp_path / "hub", endpoint.url + "?u=abc&id=123", provider="mailchimp"):
        post = first_post_with_form(site, browser.new_page())
        page = browser.new_context().new_page()
        page.goto(post + "?utm_source=x&utm_medium=social&utm_campaign=slug&utm_content=announce&gclid=G-1")
        page.wait_for_function("() => [...document.querySelectorAll('form[data-publisher-form] input')]"
                               ".some(input => input.value === 'x')")  # attribution.js has run
        before = len(endpoint.received)
        submit(page, "reader@example.com")
        lead = endpoint.received[before]
    unkept = [name for name in lead if len(name) > 10 or name != name.upper()]
    assert sorted(unkept) == ["b_abc_123"]  # Mailchimp's honeypot; no `redirect`, which Mailchimp never reads
    utm = (lead["UTM_SOURCE"], lead["UTM_MEDIUM"], lead["UTM_CAMPGN"], lead["UTM_CONTNT"])
    assert utm == ("x", "social", "slug", "announce")
    assert lead["LANDING"].startswith(site) and lead["LAST_TOUCH"].startswith("x|social|slug|announce")
    assert lead["EMAIL"] == "reader@example.com" and lead["POST"] and lead["CTA"] and lead["b_abc_123"] == ""
    assert (lead["GCLID"], lead["FBCLID"]) == ("G-1", "")  # the ad click, under a merge tag too


def test_a_kit_form_sends_the_attribution_as_custom_fields(tmp_path: Path, endpoint: Endpoint,
                                                           browser: Browser) -> None:
    """Kit keeps a posted value only as a custom field, `fields[<key>]` in its own form markup: a form posting
    `utm_source`, `post` or `consent` left every Kit subscriber without the campaign, the post and the consent."""
    for site in served_hub(tmp_path / "hub", endpoint.url, provider="kit"):
        post = first_post_with_form(site, browser.new_page())
        page = browser.new_context().new_page()
        page.goto(post + "?utm_source=x&utm_medium=social&utm_campaign=slug&utm_content=announce&msclkid=M-1")
        page.wait_for_function("() => document.querySelector('form[data-publisher-form] "
                               "[name=\"fields[utm_source]\"]').value === 'x'")  # attribution.js has run
        page.locator("form[data-publisher-form] input[type=checkbox]").check()
        before = len(endpoint.received)
        submit(page, "reader@example.com")
        lead = endpoint.received[before]
    assert lead["email_address"] == "reader@example.com"
    utm = (lead["fields[utm_source]"], lead["fields[utm_medium]"], lead["fields[utm_campaign]"],
           lead["fields[utm_content]"])
    assert utm == ("x", "social", "slug", "announce")
    assert lead["fields[landing_page]"].startswith(site) and lead["fields[last_touch]"].startswith("x|social|slug")
    assert lead["fields[post]"] and lead["fields[cta]"] and lead["fields[page]"].startswith(site)
    assert lead["fields[consent]"] == "yes" and lead["fields[consent_text]"]
    assert lead["fields[msclkid]"] == "M-1"  # the ad click, as a custom field too
    assert sorted(name for name in lead if not name.startswith("fields[")) == [
        "email_address", "website_url"]  # and the honeypot; no `redirect`, which Kit never reads


def test_last_touch_keeps_a_pipe_inside_a_value_apart_from_the_separators(site: str, endpoint: Endpoint,
                                                                          browser: Browser) -> None:
    """`last_touch` is `source|medium|campaign|content|term`: a campaign named `spring|2026` made six parts, and
    every field after it moved one place. Inside a value `|` is written %7C (and `%` %25), so each part split on
    `|` and percent-decoded is the value as the visit carried it."""
    post = first_post_with_form(site, browser.new_page())
    page = browser.new_context().new_page()
    page.goto(post + "?utm_source=x&utm_medium=social&utm_campaign=spring%7C2026&utm_content=50%25%20off")
    page.wait_for_function(UTM_SOURCE_IS_X)
    submit(page, "pipe@example.com")
    lead = endpoint.received[-1]
    parts = [unquote(part) for part in lead["last_touch"].split("|")]
    assert parts == ["x", "social", "spring|2026", "50% off", ""]
    assert lead["utm_campaign"] == "spring|2026"  # the first touch's own fields are as they were


CLICK_IDS = ("gclid", "gbraid", "wbraid", "msclkid", "fbclid", "fbc")
FILLED = "() => document.querySelector('form[data-publisher-form] [name=landing_page]').value !== ''"
DAY_MS = 24 * 3600 * 1000


def submitted_clicks(page, url: str, endpoint: Endpoint, email: str) -> dict[str, str]:
    """The ad click ids of the lead sent from the form at `url`."""
    page.goto(url)
    page.wait_for_function(FILLED)  # attribution.js has run
    before = len(endpoint.received)
    submit(page, email)
    return {name: endpoint.received[before][name] for name in CLICK_IDS}


def test_ad_click_ids_reach_the_crm_with_the_lead(site: str, endpoint: Endpoint, browser: Browser) -> None:
    """Google Ads (gclid, or gbraid/wbraid from iOS), Microsoft Advertising (msclkid) and Meta (fbclid) import an
    offline conversion from the CRM only by the click id of the ad click: the landing URL's ids were dropped, so a
    paid lead could never be credited to its ad. Each platform's latest click now reaches the form, across pages,
    with Meta's `fbc` (fb.1.<click time in ms>.<fbclid>); a new Google click replaces the last one."""
    post = first_post_with_form(site, browser.new_page())
    page = browser.new_context().new_page()
    page.goto(site + "about/?gclid=Cj0KCQ-Ab_1&fbclid=IwAR2F4-dbP0l7Mn")  # case and characters as sent
    clicked_at = page.evaluate("Date.now()")
    page.goto(site + "?msclkid=9f2b1c")  # a Microsoft click later, on another page
    lead = submitted_clicks(page, post, endpoint, "paid@example.com")  # no ids in this page's URL
    assert {k: v for k, v in lead.items() if k != "fbc"} == {
        "gclid": "Cj0KCQ-Ab_1", "gbraid": "", "wbraid": "", "msclkid": "9f2b1c", "fbclid": "IwAR2F4-dbP0l7Mn"}
    version, index, at, fbclid = lead["fbc"].split(".", 3)
    assert (version, index, fbclid) == ("fb", "1", "IwAR2F4-dbP0l7Mn")
    assert abs(int(at) - clicked_at) < 60_000
    lead = submitted_clicks(page, post + "?wbraid=WB.2", endpoint, "ios@example.com")  # Google's latest click
    assert (lead["gclid"], lead["wbraid"], lead["msclkid"]) == ("", "WB.2", "9f2b1c")


def test_an_ad_click_older_than_90_days_is_not_sent(site: str, endpoint: Endpoint, browser: Browser) -> None:
    """Google Ads and Microsoft Advertising count a conversion at most 90 days after the click, and Meta's click id
    lives 90 days: an older one is left out, so the CRM's import is not rejected row by row."""
    post = first_post_with_form(site, browser.new_page())
    page = browser.new_context().new_page()
    page.goto(post + "?gclid=old-click&fbclid=recent-click")
    page.wait_for_function(FILLED)
    page.evaluate(f"""() => {{
        const clicks = JSON.parse(localStorage.getItem('publisher.clicks'));
        clicks.google.at -= {91 * DAY_MS};
        clicks.meta.at -= {89 * DAY_MS};
        localStorage.setItem('publisher.clicks', JSON.stringify(clicks)); }}""")
    lead = submitted_clicks(page, post, endpoint, "later@example.com")
    assert (lead["gclid"], lead["fbclid"]) == ("", "recent-click")


def submitted_touch(browser, url: str, endpoint: Endpoint, email: str) -> tuple[str, str, str, str]:
    """A fresh visitor's first visit at `url`, and the lead's first-touch source and medium, campaign, and
    last touch."""
    page = browser.new_context().new_page()
    page.goto(url)
    page.wait_for_function(FILLED)
    before = len(endpoint.received)
    submit(page, email)
    lead = endpoint.received[before]
    return lead["utm_source"], lead["utm_medium"], lead["utm_campaign"], lead["last_touch"]


def test_an_auto_tagged_ad_click_without_utm_values_is_paid_search(site: str, endpoint: Endpoint,
                                                                   browser: Browser) -> None:
    """Google Ads' auto-tagging adds only `gclid` (or `gbraid`/`wbraid` from iOS) to the ad's landing URL, no UTM
    values: such a lead came with an empty source and medium, where GA4 reports the visit as google / cpc. It now
    carries google / cpc, and a Microsoft Advertising click (`msclkid`) bing / cpc, what Microsoft's own UTM
    auto-tagging writes; UTM values given are kept, and `fbclid`, which Meta adds to unpaid links too, is no ad."""
    post = first_post_with_form(site, browser.new_page())
    assert submitted_touch(browser, post + "?gclid=Cj0KCQ-Ab_1", endpoint, "g@example.com") == (
        "google", "cpc", "", "google|cpc|||")
    assert submitted_touch(browser, post + "?wbraid=WB.2", endpoint, "ios@example.com")[:2] == ("google", "cpc")
    assert submitted_touch(browser, post + "?msclkid=9f2b1c", endpoint, "m@example.com") == (
        "bing", "cpc", "", "bing|cpc|||")
    given = post + "?utm_source=newsletter&utm_medium=email&utm_campaign=spring&gclid=G-1"
    assert submitted_touch(browser, given, endpoint, "kept@example.com") == (
        "newsletter", "email", "spring", "newsletter|email|spring||")
    assert submitted_touch(browser, post + "?fbclid=IwAR2F4", endpoint, "meta@example.com") == ("", "", "", "||||")


# Storage as a browser may have it: access refused (cookies blocked for the site, as Chromium and Safari do it, or
# storage turned off by policy), or full (another script of the site filled the quota: a small write still fits).
STORAGE_REFUSED = """Object.defineProperty(window, 'localStorage', {get() {
    throw new DOMException('The operation is insecure.', 'SecurityError'); }});"""
STORAGE_FULL = """(() => { const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
        if (String(value).length > 8) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return setItem.call(this, key, value); }; })();"""


@pytest.mark.parametrize("storage", [STORAGE_REFUSED, STORAGE_FULL], ids=["refused", "full"])
def test_without_storage_the_form_still_carries_this_pages_visit(site: str, endpoint: Endpoint, storage: str,
                                                                 browser: Browser) -> None:
    """With localStorage refused or full the first and last touch cannot be kept, but the lead still arrives with
    this page's UTM values and ad click. A full storage (a small test write fits, the touch does not) stopped the
    script before it filled any field: the lead came with no attribution at all."""
    post = first_post_with_form(site, browser.new_page())
    context = browser.new_context()
    context.add_init_script(storage)
    page = context.new_page()
    page.goto(post + "?utm_source=x&utm_medium=paid&utm_campaign=spring&gclid=G-7")
    page.wait_for_function(UTM_SOURCE_IS_X)
    kept = page.evaluate("() => { try { return localStorage.getItem('publisher.first'); } "
                         "catch (e) { return e.name; } }")
    assert kept in (None, "SecurityError")  # nothing kept: the storage is as the test made it
    before = len(endpoint.received)
    submit(page, "private@example.com")
    lead = endpoint.received[before]
    assert (lead["utm_source"], lead["utm_medium"], lead["utm_campaign"]) == ("x", "paid", "spring")
    assert lead["last_touch"].startswith("x|paid|spring|") and lead["gclid"] == "G-7"
    assert lead["landing_page"] == post and lead["post"] and lead["cta"]


def test_a_second_click_while_the_form_is_sending_sends_no_second_lead(site: str, endpoint: Endpoint,
                                                                       browser: Browser) -> None:
    """A form service takes a moment to answer, and a reader who clicks the button again meanwhile (a double click,
    an impatient second one) sent the lead twice: a duplicate in the CRM, and Mailchimp answers the second with
    "already subscribed" instead of the thank-you page. The second click now sends nothing; back on the page, the
    reader can send the form again."""
    page = browser.new_context().new_page()
    post = first_post_with_form(site, page)
    form = page.locator("form[data-publisher-form]").first
    form.locator("input[type=email]").fill("twice@example.com")
    button = form.locator("button[type=submit]")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None
    before = len(endpoint.received)
    endpoint.delay = 1.0
    try:
        page.mouse.click(box["x"] + 5, box["y"] + 5)
        page.wait_for_timeout(200)
        page.mouse.click(box["x"] + 5, box["y"] + 5)
        page.wait_for_url(endpoint.url)
    finally:
        endpoint.delay = 0.0
    page.wait_for_timeout(500)
    assert [lead["email"] for lead in endpoint.received[before:]] == ["twice@example.com"]
    page.go_back()
    assert page.url == post
    submit(page, "again@example.com")
    assert [lead["email"] for lead in endpoint.received[before:]] == ["twice@example.com", "again@example.com"]


def require_consent(root: Path) -> None:
    """Every CTA of the hub with a consent checkbox requires it ticked."""
    for cta in (root / "content" / "ctas").glob("*.md"):
        cta.write_text(re.sub(r"^consent: ", "consent_required: true\nconsent: ", cta.read_text(), flags=re.M))


def test_a_required_consent_keeps_the_form_until_the_reader_ticks_it(tmp_path: Path, endpoint: Endpoint,
                                                                     browser: Browser) -> None:
    """`consent_required: true`: the browser sends nothing until the box is ticked, and says why, with JavaScript
    on or off; ticked, the lead arrives with its consent."""
    for site in served_hub(tmp_path / "hub", endpoint.url, edit=require_consent):
        for javascript in (True, False):
            page = browser.new_context(java_script_enabled=javascript).new_page()
            first_post_with_form(site, page)
            form = page.locator("form[data-publisher-form]").first
            consent = form.locator("input[type=checkbox]")
            assert not consent.is_checked()
            form.locator("input[type=email]").fill("unticked@example.com")
            before, url = len(endpoint.received), page.url
            form.locator("button[type=submit]").click()
            page.wait_for_timeout(300)
            assert len(endpoint.received) == before and page.url == url  # nothing sent
            assert consent.evaluate("box => box.validity.valueMissing && box.validationMessage !== ''")
            consent.check()
            submit(page, "ticked@example.com")
            lead = endpoint.received[before]
            assert lead["email"] == "ticked@example.com" and lead["consent"] == "yes" and lead["consent_text"]


def test_form_works_without_javascript(site: str, endpoint: Endpoint, browser: Browser) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    post = first_post_with_form(site, page)
    page.goto(post)
    before = len(endpoint.received)
    submit(page, "nojs@example.com")
    lead = endpoint.received[before]
    assert lead["post"] and lead["cta"]
    assert lead["utm_source"] == ""


def test_honeypot_is_off_screen_but_not_display_none(site: str, browser: Browser) -> None:
    page = browser.new_page()
    first_post_with_form(site, page)
    honeypot = page.locator("form[data-publisher-form] [tabindex='-1']").first
    assert honeypot.get_attribute("autocomplete") == "off"
    box = honeypot.evaluate(
        "e => { const r = e.getBoundingClientRect(); return [r.right, r.bottom, getComputedStyle(e).display] }")
    assert box[2] != "none"
    assert box[0] <= 0 or box[1] <= 0, "the honeypot is visible on screen"


def test_key_pages_pass_axe(site: str, browser: Browser) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_module.Axe()
    page = browser.new_page()
    post = first_post_with_form(site, page)
    urls = [site, post, site + "the-publisher-stage/", site + "offers/attribution-playbook/"]
    failures = {}
    for url in urls:
        assert page.goto(url).status == 200, url
        results = axe.run(page, options=AXE_WCAG_22_AA)
        if results.response["violations"]:
            failures[url] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                             for v in results.response["violations"]]
    assert not failures, json.dumps(failures, indent=1)
