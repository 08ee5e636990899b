"""Browser journeys: Playwright driving Debian's Chromium against Django's live server.

Skipped, with the reason, where no Chromium is installed (`apt-get install chromium`);
Playwright's own browser download cannot reach its servers from our machines."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("EZLEARN_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright runs an event loop in this thread; Django's ORM calls from the test body are
# synchronous and safe here (pytest-django's live server runs in another thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (390×844) speaking Traditional Chinese, as most of our citizens."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-TW", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
