"""Hostile pages in Chromium from file:// (the offline bundle's only mode, where no CSP protects anything): every
link is clicked and no dialog appears — on the built page that carries every payload as text, and on a page of
what the sanitizer makes of the payloads as HTML."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from cloudpeds.markup.sanitize import sanitize

from ..hostile import PAYLOADS
from ..integration.test_hostile_content import as_text, cli  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def offline_site(as_text, tmp_path_factory) -> Path:  # noqa: F811
    site = tmp_path_factory.mktemp("hostile-offline") / "site"
    result = cli(as_text, "build", "--profile", "offline", "-d", str(site))
    assert result.returncode == 0, result.stderr[-3000:]
    body = markdown.Markdown(extensions=["attr_list", "md_in_html"]).convert(
        "\n\n".join(payload for payload, _ in PAYLOADS) + "\n\n[back](about.html)")
    (site / "sanitized.html").write_text(f"<!doctype html><meta charset=utf-8><title>x</title>\n{sanitize(body)}\n",
                                         encoding="utf-8")
    return site


#: The links of a page's content (the theme's own header, navigation and footer are the same on every page).
LINKS = "article a[href], body > a[href], body > p a[href]"


def _click_every_link(context, url: str) -> tuple[int, list[str]]:
    """Open ``url`` afresh for each link of its content and click it (as a script would); the dialogs."""
    from playwright.sync_api import Error as PlaywrightError

    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.on("dialog", on_dialog)
    # No network: a link to another host is answered with 204 No Content, so the browser stays on the page.
    context.route("http*://**", lambda route: route.fulfill(status=204, body=""))
    page = context.new_page()
    page.goto(url)
    hrefs = page.evaluate(f"[...document.querySelectorAll('{LINKS}')].map(a => a.href)")
    page.close()
    # A click as a script makes it (hidden links too); true when no handler prevented the link's default action.
    click = (f"i => document.querySelectorAll('{LINKS}')[i]"
             ".dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}))")
    for index, href in enumerate(hrefs):
        if href in hrefs[:index]:
            continue  # the same address again
        page = context.new_page()  # a fresh page each time: a navigation still on its way cannot disturb the next
        page.goto(url)
        if href.startswith(("http:", "https:")):  # in this page or a new one (target=_blank)
            with context.expect_event("request", lambda request, href=href: request.url == href, timeout=60_000):
                page.evaluate(click, index)
        else:
            try:
                followed = page.evaluate(click, index)
                if followed and href.startswith("file:") and href.split("#")[0] != url:
                    page.wait_for_url(href.split("#")[0] + "*", wait_until="load", timeout=60_000)
                else:  # the same page, a handler of the theme, or a URL that runs in place (what must never happen)
                    page.evaluate("new Promise(done => setTimeout(done, 50))")  # let the click's tasks run
            except PlaywrightError:
                page.wait_for_load_state("load")  # it reloaded the page
        for other in context.pages:
            other.close()
    context.unroute("http*://**")
    context.remove_listener("dialog", on_dialog)
    return len(hrefs), dialogs


@pytest.mark.parametrize("name", ["about.html", "en/about.html", "sanitized.html"])
def test_every_link_of_a_hostile_page_is_clicked_without_a_dialog(offline_site, browser_context, name):
    count, dialogs = _click_every_link(browser_context, (offline_site / name).as_uri())
    assert count > 0 and dialogs == []
