"""make site, tested as readers use it: every page in a real browser at 1280 px and at 390 px.

Each page must load with the network off, without console errors, remote assets, broken internal
links or horizontal scrolling of the page body, and pass an axe-core accessibility check with no
serious or critical violation. Screenshots of the overview and a pledge page at both widths are
saved in site/screenshots/. Text from an annotation is always text: a title with <script> or
<img onerror> shows as written on every page that names it.
"""

import csv
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import ROOT, copy_parts

from pledges import pipeline
from pledges.publish.site import build_site

pytestmark = pytest.mark.slow

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
AXE = ROOT / "tests/browser/node_modules/axe-core/axe.min.js"
WIDTHS = (1280, 390)
SCREENSHOTS = ROOT / "site" / "screenshots"
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror="document.title=1">'
if not (CHROMIUM.exists() and DRIVER.exists() and AXE.exists()):
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail("Chromium, chromedriver and axe-core are required here: run 'make browser'", pytrace=False)
    pytest.skip("Debian's chromium and chromium-driver, or axe-core, are not installed ('make browser')",
                allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(ROOT, out)
    return out


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The site of a package copy whose fact label and source title carry markup."""
    root = copy_parts(tmp_path_factory.mktemp("hostile"), ("annotations", "seeds", "schemas", "package.yaml",
                                                           "data", "datapackage.json", "CITATION.cff"))
    facts = root / "annotations/facts.yaml"
    text = facts.read_text(encoding="utf-8")
    label = "label: GPUs Microsoft will deploy in France"
    assert label in text
    facts.write_text(text.replace(label, f"label: 'GPUs {HOSTILE}'"), encoding="utf-8")
    source = root / "annotations/sources/000_a740679b1ad3bc90.yaml"
    text = source.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    source.write_text(text.replace(title, f"title: 'Article {HOSTILE}'"), encoding="utf-8")
    assert pipeline.main(["--root", str(root)]) == 0
    out = root / "site"
    build_site(root, out)
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", "--allow-file-access-from-files",
                 "--proxy-server=127.0.0.1:9",  # the network is off: any remote request fails and is logged
                 f"--user-data-dir={tmp_path_factory.mktemp('profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    yield driver
    driver.quit()


def at_width(driver, width: int) -> None:
    driver.set_window_size(width, 900)
    inner = driver.execute_script("return window.innerWidth")
    driver.set_window_size(width + (width - inner), 900)  # the viewport, not the window, is `width` wide


def page_links(driver) -> list[tuple[str, str]]:
    return driver.execute_script(
        "return [...document.querySelectorAll('[href],[src]')].map(e => [e.tagName, e.getAttribute('href') || e.getAttribute('src')])")


def axe_violations(driver) -> list[str]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
        "v => [v.id, v.impact, v.nodes.length, v.nodes[0] && v.nodes[0].target.join(' ')])));")
    return [f"{rule} ({impact}, {count} nodes, first {target})" for rule, impact, count, target in result
            if impact in ("serious", "critical")]


def test_every_page_works_at_desktop_and_phone_width(site, browser):
    pages = sorted(site.rglob("*.html"))
    problems = []
    for width in WIDTHS:
        at_width(browser, width)
        for page in pages:
            name = f"{page.relative_to(site)} at {width} px"
            browser.get(page.as_uri())
            problems += [f"{name}: console {e['message']}" for e in browser.get_log("browser") if e["level"] == "SEVERE"]
            overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{name}: the page body scrolls sideways by {overflow} px")
            for tag, link in page_links(browser):
                parsed = urlparse(link)
                if parsed.scheme:
                    if tag != "A":
                        problems.append(f"{name}: remote asset {link}")  # only links may leave the site
                    continue
                target = (page.parent / unquote(parsed.path)).resolve() if parsed.path else page
                if not target.exists():
                    problems.append(f"{name}: broken link {link}")
                elif parsed.fragment and f'id="{parsed.fragment}"' not in target.read_text(encoding="utf-8"):
                    problems.append(f"{name}: no anchor for {link}")
            if width == WIDTHS[0] or page.name == "index.html":
                problems += [f"{name}: axe {v}" for v in axe_violations(browser)]
    assert problems == []


def test_every_chart_bar_and_label_shows_at_phone_width_and_screenshots_are_saved(site, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        at_width(browser, width)
        browser.get((site / "index.html").as_uri())
        images = browser.execute_script(
            "return [...document.querySelectorAll('figure img')].map(i => [i.getAttribute('src'), i.naturalWidth,"
            " i.getBoundingClientRect().left, i.getBoundingClientRect().right, i.complete])")
        assert images
        for src, natural, left, right, complete in images:
            assert complete and natural > 0, src
            assert left >= 0 and right <= width, (src, left, right)  # the whole chart is on screen
            if width == 390:
                assert right - left >= natural, src  # drawn at full size: no label shrinks
        assert browser.save_screenshot(str(SCREENSHOTS / f"index-{width}.png"))
        browser.get((site / "pledges/msft-fr-investment.html").as_uri())
        assert browser.save_screenshot(str(SCREENSHOTS / f"pledge-{width}.png"))
    for table in (p.stem for p in (site / "charts").glob("*.svg")):
        svg = (site / "charts" / f"{table}.svg").read_text(encoding="utf-8")
        with open(site / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
            shown = [r for r in csv.DictReader(f) if r["scope"] == "choose_france_2024" and r["country"] == "FR"
                     and r["kind"] == "pledge"]
        assert svg.count("<path") >= len(shown)
        for row in shown:  # every bar is labelled with its pledge, shortened at most
            assert row["label"][:20] in svg, (table, row["label"])


def test_charts_show_only_choose_france_2024_pledges_in_france_and_no_total(site):
    with open(site / "data/pledges.csv", encoding="utf-8", newline="") as f:
        pledges = {r["fact_id"]: r for r in csv.DictReader(f)}
    page = (site / "index.html").read_text(encoding="utf-8")
    charted = set(re.findall(r'<td><a href="pledges/([^"]+)\.html">', page.split("<h2>Every pledge</h2>")[0]))
    assert charted
    for fact_id in charted:
        row = pledges[fact_id]
        assert (row["scope"], row["country"], row["kind"]) == ("choose_france_2024", "FR", "pledge"), fact_id


def test_pledge_page_answers_whether_the_figure_can_be_printed(site, browser):
    from selenium.webdriver.common.by import By

    with open(ROOT / "data/claims.csv", encoding="utf-8", newline="") as f:
        claims = [row for row in csv.DictReader(f) if row["fact_id"] == "msft-fr-investment"]
    at_width(browser, WIDTHS[0])
    browser.get((site / "pledges/msft-fr-investment.html").as_uri())
    marks = {m.get_attribute("id"): m for m in browser.find_elements(By.TAG_NAME, "mark")}
    assert set(marks) == {c["claim_id"] for c in claims}
    for claim in claims:
        mark = marks[claim["claim_id"]]
        assert mark.is_displayed() and mark.text == re.sub(r"\s+", " ", claim["quote"]).strip()
        style = mark.value_of_css_property("text-decoration-line")
        assert "line-through" not in style  # a contradicted quote stays readable
    body = browser.find_element(By.TAG_NAME, "body").text
    with open(ROOT / "data/pledges.csv", encoding="utf-8", newline="") as f:
        pledge = next(row for row in csv.DictReader(f) if row["fact_id"] == "msft-fr-investment")
    with open(ROOT / "data/sources.csv", encoding="utf-8", newline="") as f:
        names = {row["source_id"]: row["name"] for row in csv.DictReader(f)}
    assert pledge["status"] in browser.find_element(By.CLASS_NAME, "verdict").get_attribute("class")
    assert all(names[c["source_id"]] in body for c in claims)  # sources by name, not by hash
    assert not re.search(r"\b(more_than|up_to|at_least|unhedged|gpus)\b", body)  # no raw codes


def test_markup_in_an_annotation_is_text_on_every_page_that_names_it(hostile_site, browser):
    from selenium.webdriver.common.by import By

    at_width(browser, WIDTHS[0])
    shown = 0
    for page in sorted(hostile_site.rglob("*.html")):
        raw = page.read_text(encoding="utf-8")
        assert "<script" not in raw and "onerror=" not in raw.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
        browser.get(page.as_uri())
        assert browser.title != "pwned" and browser.title != "1", page
        text = browser.find_element(By.TAG_NAME, "body").text + browser.title
        if "GPUs <script>" in text or "Article <script>" in text:
            shown += 1
            assert HOSTILE in text.replace("\n", ""), page
        assert not browser.find_elements(By.CSS_SELECTOR, "img[onerror]"), page
    assert shown >= 3  # the overview, the tables and the pledge and source pages name them
    for svg in (hostile_site / "charts").glob("*.svg"):
        assert "<script" not in svg.read_text(encoding="utf-8")


def test_every_page_names_licence_version_build_date_and_links_the_data(site):
    package = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    licence = package["licenses"][0]
    for page in site.rglob("*.html"):
        footer = page.read_text(encoding="utf-8").split("<footer>")[1]
        assert f'href="{licence["path"]}"' in footer and f"version {package['version']}" in footer, page
        assert re.search(r"built \d{4}-\d{2}-\d{2}", footer) and "datapackage.json" in footer, page
