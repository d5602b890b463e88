"""make serve: Datasette answers over HTTP on this machine with the package's figures."""

import csv
import html
import json
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
from browsing import at_width, axe_violations, require_browser
from conftest import ROOT, copy_parts

from pledges.publish.serve import command, prepare

pytestmark = pytest.mark.slow

NAME = "big-tech-ai-cloud-pledges-france"


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def start(database, metadata) -> tuple[subprocess.Popen, str]:
    """Datasette on a free port. A port found free can be taken by another process before
    Datasette binds it: then Datasette exits, and it is started again on another port."""
    for _ in range(5):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(command(database, metadata, port), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):  # at most 30 s
            try:
                get(base + "/-/versions.json")
                return server, base
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.3)
        else:
            server.terminate()
            pytest.fail("Datasette did not answer within 30 s")
        error = server.stderr.read().decode() if server.stderr else ""
        if "address already in use" not in error.lower():
            pytest.fail("Datasette exited: " + error)
    pytest.fail("no free port in five tries")


@pytest.fixture(scope="module")
def datasette(tmp_path_factory):
    root = copy_parts(tmp_path_factory.mktemp("serve"), ("data", "schemas", "datapackage.json"))
    server, base = start(*prepare(root))
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def csv_rows(table: str) -> dict[str, dict]:
    with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return {row[reader.fieldnames[0]]: row for row in reader}


def test_table_page_shows_the_pledges_with_their_description(datasette):
    status, page = get(f"{datasette}/{NAME}/investments")
    assert status == 200
    from pledges.inputs.metadata import package_metadata
    description = next(r["description"] for r in package_metadata(ROOT)["resources"] if r["name"] == "investments")
    assert "msft-fr-investment" in page and html.escape(description.split(" (")[0], quote=False) in page


def test_sql_query_over_json_returns_the_figures_of_the_csv(datasette):
    sql = "select fact_id, value, unit, amount_usd, status from investments order by fact_id"
    _, body = get(f"{datasette}/{NAME}.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"}))
    rows = json.loads(body)
    expected = csv_rows("investments")
    assert [r["fact_id"] for r in rows] == sorted(expected)
    for row in rows:
        want = expected[row["fact_id"]]
        assert (row["value"], row["unit"], row["amount_usd"], row["status"]) == (
            float(want["value"]), want["unit"], float(want["amount_usd"]), want["status"])


def test_full_text_search_finds_a_quote(datasette):
    _, body = get(f"{datasette}/{NAME}/claims.json?" + urllib.parse.urlencode({"_search": "miliardi",
                                                                               "_shape": "array"}))
    expected = {cid for cid, row in csv_rows("claims").items() if re.search(r"\bmiliardi\b", row["quote"], re.I)}
    assert expected and {r["claim_id"] for r in json.loads(body)} == expected


def test_metadata_carries_licence_and_column_descriptions(datasette):
    _, body = get(f"{datasette}/-/metadata.json")
    metadata = json.loads(body)
    assert metadata["license"] == "CC-BY-4.0"
    columns = metadata["databases"][NAME]["tables"]["investments"]["columns"]
    assert "US dollars" in columns["amount_usd"]


def test_claims_table_offers_facets_and_names_its_sources(datasette):
    _, body = get(f"{datasette}/{NAME}/claims.json?_extra=facet_results&_extra=expanded_columns&_labels=on&_size=max")
    page = json.loads(body)
    facets = page["facet_results"]["results"] if "results" in page["facet_results"] else page["facet_results"]
    assert {"rank", "metric", "unit", "qualifier", "subject"} <= set(facets)
    names = {row["source_id"]: row["name"] for row in csv_rows("sources").values()}
    shown = {row["source_id"]["value"]: row["source_id"]["label"] for row in page["rows"]}
    assert shown == {sid: names[sid] for sid in shown} and shown  # the source's name, not its id
    _, html_page = get(f"{datasette}/{NAME}/claims")
    assert html.escape(next(iter(names.values())), quote=False) in html_page


def test_canned_queries_answer_the_questions_people_ask(datasette):
    _, body = get(f"{datasette}/{NAME}/disagreements.json?_shape=array")
    expected = {c["check_id"] for c in csv_rows("checks").values() if c["verdict"] != "consistent" and c["fact_id"]}
    assert {(r["fact_id"], r["kind"], r["verdict"]) for r in json.loads(body)} == {
        (c["fact_id"], c["kind"], c["verdict"]) for cid, c in csv_rows("checks").items() if cid in expected}
    fact = next(iter(csv_rows("pledges")))
    _, body = get(f"{datasette}/{NAME}/claims_of_a_pledge.json?_shape=array&fact_id={fact}")
    assert {r["claim_id"] for r in json.loads(body)} == {
        cid for cid, c in csv_rows("claims").items() if c["fact_id"] == fact}


def test_datasette_pages_pass_axe_serious_and_critical_rules(datasette, browser):
    """The package's page frame (lang, a main landmark), style (contrast) and script (a name for
    every control) on Datasette's own pages, at a phone's width (390 px): one page of each of
    Datasette's templates (index, database, table, view, row, canned query, SQL query), two tables
    among them (every table and view is the same template and controls, with other rows)."""
    require_browser()
    _, body = get(f"{datasette}/{NAME}.json")
    database = json.loads(body)
    fact = next(iter(csv_rows("pledges")))
    kinds = {"index": ["/"], "database": [f"/{NAME}"], "sql": [f"/{NAME}?sql=select+1"],
             "row": [f"/{NAME}/pledges/{fact}"],
             "table": [f"/{NAME}/{t['name']}?_size=5" for t in database["tables"] if not t.get("hidden")][:2],
             "view": [f"/{NAME}/{v}?_size=5" for v in database.get("views", [])][:1],
             "query": [f"/{NAME}/{q['name']}" for q in database.get("queries", []) if ":" not in q.get("sql", "")][:1]}
    assert all(kinds.values()), kinds  # a page of every template, none left out unseen
    problems = []
    at_width(browser, 390)
    for page in [p for kind in kinds.values() for p in kind]:
        browser.get(datasette + page)
        problems += [f"{page}: {v}" for v in axe_violations(browser, ("serious", "critical"))]
    assert problems == [], "\n".join(problems)
