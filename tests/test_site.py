"""make site: every page loads in a real browser with the network off, without console errors
or broken links, and a pledge's quotes are visible, highlighted in their source text."""

import csv
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT
from pledges.site import build_site

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
if not (CHROMIUM.exists() and DRIVER.exists()):
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail("Chromium and chromedriver are required here: run 'make browser'", pytrace=False)
    pytest.skip("Debian's chromium and chromium-driver are not installed ('make browser')", allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(ROOT, out)
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--proxy-server=127.0.0.1:9",  # the network is off: any remote request fails and is logged
                 f"--user-data-dir={tmp_path_factory.mktemp('profile')}", "--window-size=1200,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    yield driver
    driver.quit()


def links(driver) -> list[str]:
    found = driver.execute_script(
        "return [...document.querySelectorAll('[href],[src]')].map(e => e.getAttribute('href') || e.getAttribute('src'))")
    return [link for link in found if link]


def test_every_page_loads_without_console_errors_or_broken_links(site, browser, tmp_path):
    pages = {site / "index.html"}
    queue, visited, problems = [site / "index.html"], set(), []
    while queue:
        page = queue.pop()
        if page in visited:
            continue
        visited.add(page)
        browser.get(page.as_uri())
        problems += [f"{page.name}: console {entry['message']}" for entry in browser.get_log("browser")
                     if entry["level"] == "SEVERE"]
        for link in links(browser):
            parsed = urlparse(link)
            if parsed.scheme:
                problems.append(f"{page.name}: link leaves the site: {link}")
                continue
            target = (page.parent / unquote(parsed.path)).resolve() if parsed.path else page
            if not target.exists():
                problems.append(f"{page.relative_to(site)}: broken link {link}")
            elif parsed.fragment and f'id="{parsed.fragment}"' not in target.read_text(encoding="utf-8"):
                problems.append(f"{page.relative_to(site)}: no anchor for {link}")
            elif target.suffix == ".html":
                queue.append(target)
    assert problems == []
    assert visited == set(site.rglob("*.html")) | pages  # every page was reached and loaded
    browser.get((site / "index.html").as_uri())
    assert browser.save_screenshot(str(tmp_path / "index.png"))


def test_pledge_page_shows_each_quote_highlighted_in_its_source(site, browser, tmp_path):
    from selenium.webdriver.common.by import By

    with open(ROOT / "data/claims.csv", encoding="utf-8", newline="") as f:
        quotes = {row["claim_id"]: row["quote"] for row in csv.DictReader(f) if row["fact_id"] == "msft-fr-investment"}
    browser.get((site / "pledges/msft-fr-investment.html").as_uri())
    marks = {m.get_attribute("id"): m for m in browser.find_elements(By.TAG_NAME, "mark")}
    assert set(marks) == set(quotes)
    for claim_id, mark in marks.items():
        assert mark.is_displayed() and mark.text == re.sub(r"\s+", " ", quotes[claim_id]).strip()
    body = browser.find_element(By.TAG_NAME, "body").text
    with open(ROOT / "data/pledges.csv", encoding="utf-8", newline="") as f:
        status = next(row["status"] for row in csv.DictReader(f) if row["fact_id"] == "msft-fr-investment")
    assert status in body and "euro figure with a US dollar sign" in body and "Italian" in body
    assert browser.save_screenshot(str(tmp_path / "pledge.png"))
    shutil.copy2(tmp_path / "pledge.png", site / "pledge-screenshot.png")
