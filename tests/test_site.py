"""make site, tested as readers use it: every page in a real browser at 1280 px and at 390 px.

Each page must load with the network off, without console errors, remote assets, broken internal
links or horizontal scrolling of the page body, and pass an axe-core accessibility check with no
violation of any impact. Screenshots of the overview and a pledge page at both widths are
saved in site/screenshots/. Text from an annotation is always text: a title with <script> or
<img onerror> shows as written on every page that names it.
"""

import csv
import html
import json
import re

import pytest
from browsing import at_width, page_problems, require_browser
from conftest import ROOT, copy_parts

from pledges import pipeline
from pledges.publish.site import build_site, visible

pytestmark = [pytest.mark.slow, pytest.mark.first(order=2)]
require_browser()

WIDTHS = (1280, 390)
SCREENSHOTS = ROOT / "site" / "screenshots"
PARAGRAPH = 80  # characters: a line of an article this long is a paragraph, not a headline
FIRST_SCREEN = 5  # pledges whose figures the first screen of the home page must show
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror="document.title=1">'


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


def test_every_page_works_at_desktop_width(site, browser):
    """Every page at 1280 px (tests/test_site_phone.py: at 390 px): no console error, remote asset
    or broken link, no sideways scroll of the page, no number or date wrapped onto two lines, and no
    axe violation of any impact."""
    problems = page_problems(browser, site, 1280)
    assert problems == [], "\n".join(problems)


def test_the_first_screen_states_the_choose_france_pledges_with_their_figures(site, browser):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 800)
    inner = browser.execute_script("return [window.innerWidth, window.innerHeight]")
    browser.set_window_size(1280 + 1280 - inner[0], 800 + 800 - inner[1])
    browser.get((site / "index.html").as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "table.key tr")[1:]
    assert rows
    for row in rows[:FIRST_SCREEN]:  # more pledges may run below the fold; the first ones never do
        figure = row.find_element(By.CSS_SELECTOR, "td.figure-cell")
        assert figure.text and figure.rect["y"] + figure.rect["height"] <= 800, figure.text


def test_the_chart_shows_every_money_pledge_at_full_size_and_offers_its_figures(site, browser):
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
    svg = (site / "charts" / "money.svg").read_text(encoding="utf-8")
    with open(site / "charts" / "money.csv", encoding="utf-8", newline="") as f:
        bars = list(csv.DictReader(f))
    with open(site / "data" / "pledges.csv", encoding="utf-8", newline="") as f:
        pledges = {r["fact_id"]: r for r in csv.DictReader(f)}
    assert bars
    for bar in bars:  # only Choose France 2024 money pledges in France, each labelled as stated
        row = pledges[bar["fact_id"]]
        assert (row["scope"], row["country"], row["kind"], row["metric"]) == \
            ("choose_france_2024", "FR", "pledge", "investment"), bar
        assert bar["figure_as_stated"].split(" (")[0] in svg


@pytest.mark.data
def test_pledge_page_answers_whether_the_figure_can_be_printed(site, browser):
    from selenium.webdriver.common.by import By

    with open(ROOT / "data/pledges.csv", encoding="utf-8", newline="") as f:
        pledge = next(row for row in csv.DictReader(f) if int(row["n_sources"]) > 1)
    with open(ROOT / "data/claims.csv", encoding="utf-8", newline="") as f:
        claims = [row for row in csv.DictReader(f) if row["fact_id"] == pledge["fact_id"]]
    at_width(browser, WIDTHS[0])
    browser.get((site / f"pledges/{pledge['fact_id']}.html").as_uri())
    sections = {s.get_attribute("id"): s for s in browser.find_elements(By.CSS_SELECTOR, "section.claim")}
    assert set(sections) == {c["claim_id"] for c in claims}
    for claim in claims:
        mark = sections[claim["claim_id"]].find_element(By.TAG_NAME, "mark")
        assert mark.is_displayed() and mark.text == re.sub(r"\s+", " ", claim["quote"]).strip()
        assert "line-through" not in mark.value_of_css_property("text-decoration-line")  # readable
    body = browser.find_element(By.TAG_NAME, "body").text
    with open(ROOT / "data/sources.csv", encoding="utf-8", newline="") as f:
        names = {row["source_id"]: row["name"] for row in csv.DictReader(f)}
    assert pledge["status"] in browser.find_element(By.CLASS_NAME, "verdict").get_attribute("class").replace("-", " ")
    assert pledge["print_advice"] in body.replace("\n", " ")
    assert all(names[c["source_id"]] in body for c in claims)  # sources by name, not by hash
    assert not re.search(r"\b(more_than|up_to|at_least|unhedged|gpus)\b", body)  # no raw codes


def test_a_source_page_shows_excerpts_never_the_whole_article(site):
    """Every paragraph that holds a quote is on its source's page; no paragraph without one is."""
    with open(site / "data/sources.csv", encoding="utf-8", newline="") as f:
        sources = list(csv.DictReader(f))
    with open(site / "data/claims.csv", encoding="utf-8", newline="") as f:
        claims = list(csv.DictReader(f))
    left_out = 0
    for source in sources:
        page = (site / "sources" / f"{source['source_id']}.html").read_text(encoding="utf-8")
        text = (ROOT / source["seed_file"]).read_text(encoding="utf-8")
        shown = html.unescape(re.sub(r"<[^>]+>", "", page))
        assert source["seed_sha256"] in page and "verify.py" in page
        quoted = [(int(c["quote_start"]), int(c["quote_end"])) for c in claims if c["source_id"] == source["source_id"]]
        at = 0
        for line in text.split("\n"):
            holds = any(at <= start and end <= at + len(line) for start, end in quoted)
            if holds:
                assert visible(line) in shown, (source["source_id"], line[:60])
            elif len(line) >= PARAGRAPH:  # a headline or a byline may stand in the page's title
                assert visible(line) not in shown, (source["source_id"], line[:60])
                left_out += 1
            at += len(line) + 1
    assert left_out  # the articles have paragraphs without a figure: the check above saw some left out
    assert not (site / "seeds").exists()


def test_markup_in_an_annotation_is_text_on_every_page_that_names_it(hostile_site, browser):
    from selenium.webdriver.common.by import By

    at_width(browser, WIDTHS[0])
    shown = 0
    for page in sorted(hostile_site.rglob("*.html")):
        raw = page.read_text(encoding="utf-8")
        assert "<script" not in raw and "onerror=" not in raw.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
        if "&lt;script" not in raw:
            continue  # the page does not name them: nothing of theirs to run or show
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


def test_every_page_names_licence_version_citation_and_links_the_downloads(site):
    package = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    licence = package["licenses"][0]
    for page in site.rglob("*.html"):
        footer = page.read_text(encoding="utf-8").split("<footer>")[1]
        assert f'href="{licence["path"]}"' in footer, page
        assert f"version {package['version']} of {package['created'][:10]}" in re.sub(r"<[^>]+>", "", footer), page
        assert "downloads.html" in footer and "Cite as" in footer, page
    downloads = (site / "downloads.html").read_text(encoding="utf-8")
    for suffix in (".zip", ".xlsx", ".sqlite", ".parquet", ".jsonld"):
        assert suffix in downloads
