"""A real browser for the tests that read pages as people do: headless Chromium driven by
Selenium, and axe-core for accessibility. A test module calls `require_browser()` first: without
the browser it is skipped, or failed when REQUIRE_BROWSER is set (CI)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

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
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    # axe-core in every page as it loads: sent to the browser once, not once per page (0.08 s each)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": AXE.read_text(encoding="utf-8")})
    return driver


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
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
        "v => [v.id, v.impact, v.nodes.length, v.nodes[0] && v.nodes[0].target.join(' ')])));")
    return [f"{rule} ({impact}, {count} nodes, first {target})" for rule, impact, count, target in result
            if not impacts or impact in impacts]


# Every number or date of a page's text whose characters sit on more than one line.
WRAPPED = """
const found = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const pattern = /\\d{4}-\\d{2}-\\d{2}|\\d[\\d,.]*\\d|\\d/g;
while (walker.nextNode()) {
  const node = walker.currentNode;
  if (node.parentElement.closest('code, script, style')) continue;
  for (const m of node.data.matchAll(pattern)) {
    const range = document.createRange();
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (tops.size > 1) found.push(m[0]);
  }
}
return found;
"""


def page_problems(driver, site: Path, width: int) -> list[str]:
    """What is wrong with each page of a static site at `width`: console errors, remote assets,
    broken links and anchors, the page body scrolling sideways, a number or date wrapped onto two
    lines, and axe violations of any impact."""
    at_width(driver, width)
    problems = []
    texts: dict[Path, str] = {}  # each linked page read once
    for page in sorted(site.rglob("*.html")):
        name = f"{page.relative_to(site)} at {width} px"
        driver.get(page.as_uri())
        problems += [f"{name}: console {e['message']}" for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{name}: the page body scrolls sideways by {overflow} px")
        problems += [f"{name}: {figure!r} wrapped onto two lines" for figure in driver.execute_script(WRAPPED)]
        for tag, link in page_links(driver):
            parsed = urlparse(link)
            if parsed.scheme:
                if tag != "A":
                    problems.append(f"{name}: remote asset {link}")  # only links may leave the site
                continue
            target = (page.parent / unquote(parsed.path)).resolve() if parsed.path else page
            if not target.exists():
                problems.append(f"{name}: broken link {link}")
            elif parsed.fragment and f'id="{parsed.fragment}"' not in (
                    texts[target] if target in texts else texts.setdefault(target, target.read_text(encoding="utf-8"))):
                problems.append(f"{name}: no anchor for {link}")
        problems += [f"{name}: axe {v}" for v in axe_violations(driver)]
    return problems
