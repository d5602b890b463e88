"""A real browser for the tests that read pages as people do: headless Chromium driven by
Selenium, and axe-core for accessibility. A test module calls `require_browser()` first: without
the browser it is skipped, or failed when REQUIRE_BROWSER is set (CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
AXE = ROOT / "tests/browser/node_modules/axe-core/axe.min.js"


def require_browser() -> None:
    if not (CHROMIUM.exists() and DRIVER.exists() and AXE.exists()):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium, chromedriver and axe-core are required here: run 'make browser'", pytrace=False)
        pytest.skip("Debian's chromium and chromium-driver, or axe-core, are not installed ('make browser')",
                    allow_module_level=True)


def start_browser(profile: Path):
    """Headless Chromium with the network off (but for servers of the tests on this machine)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", "--allow-file-access-from-files",
                 "--proxy-server=127.0.0.1:9",  # the network is off: any remote request fails and is logged
                 "--proxy-bypass-list=127.0.0.1",  # ... but for a server of the tests on this machine
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(str(DRIVER)))


def at_width(driver, width: int) -> None:
    driver.set_window_size(width, 900)
    inner = driver.execute_script("return window.innerWidth")
    driver.set_window_size(width + (width - inner), 900)  # the viewport, not the window, is `width` wide


def page_links(driver) -> list[tuple[str, str]]:
    return driver.execute_script(
        "return [...document.querySelectorAll('[href],[src]')].map(e => [e.tagName, e.getAttribute('href') || "
        "e.getAttribute('src')])")


def axe_violations(driver, impacts: tuple[str, ...] = ()) -> list[str]:
    """Every axe-core violation of the page, or only those of the `impacts` given."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
        "v => [v.id, v.impact, v.nodes.length, v.nodes[0] && v.nodes[0].target.join(' ')])));")
    return [f"{rule} ({impact}, {count} nodes, first {target})" for rule, impact, count, target in result
            if not impacts or impact in impacts]
