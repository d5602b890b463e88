"""Build a static site of the package in site/: browsable without Python and without a network.

    python -m pledges.site

Pages: an overview with charts (inline SVG, no scripts or remote assets), a page per table
with its data dictionary and download links, a page per pledge showing each claim's quote
highlighted inside its source text with the source's language and date, the pledge's status
and its findings explained, and a page per source with every claim marked in the full text.
"""

from __future__ import annotations

import csv
import html
import json
import shutil
import sys
from pathlib import Path

from pledges.docs import constraints

ROOT = Path(__file__).resolve().parent.parent
e = html.escape
STYLE = """body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:62em;padding:1em 1.5em;color:#1f2328}
nav{border-bottom:1px solid #d0d7de;padding-bottom:.5em;margin-bottom:1em}nav a{margin-right:1em}
table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #d0d7de;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#f6f8fa}mark{background:#ffe08a;padding:0 .1em}
.excerpt{white-space:pre-wrap;background:#f6f8fa;padding:.75em;border-left:4px solid #d0d7de}
.conflict{color:#cf222e;font-weight:bold}.warning{color:#9a6700}.info{color:#1a7f37}
.conflicting{color:#cf222e;font-weight:bold}.corroborated{color:#1a7f37}
.deprecated{text-decoration:line-through;color:#57606a}svg text{font:13px system-ui,sans-serif}"""


def read(root: Path, table: str) -> list[dict]:
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def page(title: str, body: str, depth: int) -> str:
    up = "../" * depth
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f'<link rel="stylesheet" href="{up}style.css"></head><body>\n'
            f'<nav><a href="{up}index.html">Overview</a><a href="{up}tables/pledges.html">Pledges</a>'
            f'<a href="{up}tables/claims.html">Claims</a><a href="{up}tables/checks.html">Checks</a>'
            f'<a href="{up}tables/sources.html">Sources</a><a href="{up}datapackage.json">datapackage.json</a></nav>\n'
            f"<h1>{e(title)}</h1>\n{body}\n</body></html>\n")


def number(value: str) -> str:
    amount = float(value)
    return f"{amount:,.0f}" if amount == int(amount) else f"{amount:,}"


def short(label: str, size: int = 48) -> str:
    return label if len(label) <= size else label[: size - 1].rsplit(" ", 1)[0] + "…"


def bar_chart(bars: list[tuple[str, float, str]], title: str) -> str:
    """Horizontal bars: (label, value, text shown after the bar)."""
    width, left, height = 900, 360, 22
    top = max(v for _, v, _ in bars) or 1
    rows = []
    for i, (label, value, text) in enumerate(bars):
        y = 24 + i * (height + 6)
        length = (width - left - 250) * value / top
        rows.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{e(label)}</text>'
                    f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{height}" fill="#4c78a8"></rect>'
                    f'<text x="{left + length + 6:.1f}" y="{y + 15}">{e(text)}</text>')
    total = 24 + len(bars) * (height + 6)
    return (f'<svg role="img" aria-label="{e(title)}" width="{width}" height="{total}" viewBox="0 0 {width} {total}">'
            f'<text x="0" y="14" font-weight="bold">{e(title)}</text>{"".join(rows)}</svg>')


def overview(root: Path, package: dict) -> str:
    investments = read(root, "investments")
    money = []
    for row in sorted(investments, key=lambda r: -float(r["amount_eur"])):
        money.append((short(row["label"]), float(row["amount_eur"]) / 1e9,
                      f"EUR {float(row['amount_eur']) / 1e9:.2f}bn"))
        money.append(("", float(row["amount_usd"]) / 1e9, f"USD {float(row['amount_usd']) / 1e9:.2f}bn"))
    charts = [bar_chart(money, "Investments, EUR and USD (billions, at the ECB rate of the announcement)")]
    titles = {r["name"]: r["title"] for r in package["resources"]}
    for table in ("jobs", "training", "startups", "gpus"):
        bars = [(short(row["label"]), float(row["value"]),
                 f"{number(row['value'])} ({row['qualifier'].replace('_', ' ')})"
                 + (f" by {row['target_date']}" if row["target_date"] else "")) for row in read(root, table)]
        charts.append(bar_chart(bars, titles[table]))
    rows = "".join(
        f'<tr><td><a href="pledges/{e(p["fact_id"])}.html">{e(p["label"])}</a></td><td>{e(p["subject"])}</td>'
        f'<td>{number(p["value"])} {e(p["unit"])} ({e(p["qualifier"])})</td><td>{e(p["target_date"])}</td>'
        f'<td class="{e(p["status"].replace(" ", "-"))}">{e(p["status"])}</td><td>{e(p["n_sources"])}</td></tr>'
        for p in read(root, "pledges"))
    tables = "".join(f'<li><a href="tables/{r["name"]}.html">{e(r["title"])}</a>: {e(r["description"])}</li>'
                     for r in package["resources"])
    sources = "".join(f'<li><a href="sources/{s["source_id"]}.html">{e(s["title"] or s["source_id"])}</a> '
                      f'({e(s["publisher"] or "publisher not named")}, {e(s["language_name"])}, '
                      f'{e(s["published"] or "date unknown")})</li>' for s in read(root, "sources"))
    body = (f"<p>{e(package['description'])}</p><p>Version {e(package['version'])}. "
            f'Download: <a href="datapackage.json">datapackage.json</a> and the CSVs on each table page.</p>'
            + "".join(f"<figure>{c}</figure>" for c in charts)
            + "<h2>Pledges</h2><table><tr><th>pledge</th><th>subject</th><th>value</th><th>deadline</th>"
            f"<th>status</th><th>sources</th></tr>{rows}</table>"
            f"<h2>Tables</h2><ul>{tables}</ul><h2>Sources</h2><ul>{sources}</ul>")
    return page(package["title"], body, 0)


def table_page(root: Path, resource: dict) -> str:
    schema = json.loads((root / resource["schema"]).read_text(encoding="utf-8"))
    fields = "".join(f"<tr><td><code>{e(f['name'])}</code></td><td>{e(f['type'])}</td>"
                     f"<td>{'yes' if f.get('constraints', {}).get('required') else ''}</td>"
                     f"<td>{e(constraints(f))}</td><td>{e(f['description'])}</td></tr>" for f in schema["fields"])
    rows = read(root, resource["name"])
    names = [f["name"] for f in schema["fields"]]
    data = "".join("<tr>" + "".join(f"<td>{e(row[n])}</td>" for n in names) + "</tr>" for row in rows)
    body = (f"<p>{e(resource['description'])}</p>"
            f'<p>Download <a href="../{e(resource["path"])}">{e(resource["path"])}</a> ({len(rows)} rows) and its '
            f'<a href="../{e(resource["schema"])}">Table Schema</a>.</p>'
            "<h2>Data dictionary</h2><table><tr><th>field</th><th>type</th><th>required</th><th>constraints</th>"
            f"<th>description</th></tr>{fields}</table><h2>Rows</h2><table><tr>"
            + "".join(f"<th>{e(n)}</th>" for n in names) + f"</tr>{data}</table>")
    return page(resource["title"], body, 1)


def marked(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """`text` escaped, with each (start, end, id, link) span in a <mark>. Overlapping spans merge
    into one mark that still carries an anchor for every id, so links to each claim land."""
    merged: list[list] = []
    for start, end, ident, link in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(ident)
        else:
            merged.append([start, end, [ident], link])
    out, at = [], 0
    for start, end, idents, link in merged:
        inner = e(text[start:end])
        inner = f'<a href="{e(link)}">{inner}</a>' if link else inner
        anchors = "".join(f'<span id="{e(i)}"></span>' for i in idents[1:])
        out += [e(text[at:start]), f'<mark id="{e(idents[0])}">{anchors}{inner}</mark>']
        at = end
    return "".join(out) + e(text[at:])


def seed_text(root: Path, source_id: str) -> str:
    return (root / "seeds" / f"{source_id}.txt").read_text(encoding="utf-8")


def pledge_page(root: Path, pledge: dict, claims: list[dict], checks: list[dict], sources: dict) -> str:
    findings = "".join(f'<li><span class="{e(c["severity"])}">{e(c["severity"])}</span> ({e(c["kind"])}): '
                       f'{e(c["explanation"])} Expected {e(c["expected"])}; found {e(c["found"])}.</li>' for c in checks)
    items = []
    for claim in claims:
        source = sources[claim["source_id"]]
        text = seed_text(root, claim["source_id"])
        start, end = int(claim["quote_start"]), int(claim["quote_end"])
        left, right = text.rfind("\n", 0, start) + 1, text.find("\n", end)
        right = len(text) if right < 0 else right
        excerpt = marked(text[left:right], [(start - left, end - left, claim["claim_id"], "")])
        date = f"{source['published']} (date {source['date_basis']})" if source["published"] else "date unknown"
        items.append(
            f'<section class="{e(claim["rank"])}"><h3>{number(claim["value"])} {e(claim["unit"])} '
            f'({e(claim["qualifier"])}) in <a href="../sources/{e(source["source_id"])}.html#{e(claim["claim_id"])}">'
            f'{e(source["title"] or source["source_id"])}</a></h3>'
            f'<p>{e(source["publisher"] or "Publisher not named")}, {e(source["language_name"])}, {e(date)}. Claim <code>{e(claim["claim_id"])}</code>, rank '
            f'<strong>{e(claim["rank"])}</strong>: {e(claim["rank_reason"])}.</p>'
            f'<div class="excerpt" lang="{e(source["language"])}">{excerpt}</div></section>')
    amounts = (f"<p>EUR {number(pledge['amount_eur'])} and USD {number(pledge['amount_usd'])} at the ECB rate of "
               f"{e(pledge['rate_date'])} ({e(pledge['eur_usd_rate'])} USD per EUR).</p>" if pledge.get("amount_eur") else "")
    body = (f"<p><strong>{number(pledge['value'])} {e(pledge['unit'])}</strong> ({e(pledge['qualifier'])})"
            f"{', by ' + e(pledge['target_date']) if pledge['target_date'] else ''}; announced {e(pledge['announced'])}. "
            f'Status: <span class="{e(pledge["status"].replace(" ", "-"))}">{e(pledge["status"])}</span>, '
            f"from {e(pledge['n_sources'])} source(s).</p>{amounts}"
            f"<p>{e(pledge['subject'])}; {e(pledge['recipient'])}; {e(pledge['country_name'] or 'worldwide')}"
            f"{'; ' + e(pledge['region_names']) if pledge['region_names'] else ''}.</p>"
            + (f"<h2>What the checks found</h2><ul>{findings}</ul>" if findings else "<p>No findings: the sources agree.</p>")
            + f"<h2>Claims, each in its source's words</h2>{''.join(items)}")
    return page(pledge["label"], body, 1)


def source_page(root: Path, source: dict, claims: list[dict]) -> str:
    spans = [(int(c["quote_start"]), int(c["quote_end"]), c["claim_id"], f"../pledges/{c['fact_id']}.html")
             for c in claims]
    body = (f"<p>{e(source['publisher'] or 'Publisher not named')}; {e(source['language_name'])}; "
            f"{e(source['published'] or 'date unknown')} (date {e(source['date_basis'])}"
            f"{': ' + repr(source['date_evidence']) if source['date_evidence'] else ''}). {e(source['notes'])}</p>"
            f'<p>{len(claims)} claims, highlighted below; each links to its pledge. '
            f'Archived text: <a href="../{e(source["seed_file"])}">{e(source["seed_file"])}</a> '
            f"(sha256 <code>{e(source['seed_sha256'])}</code>).</p>"
            f'<div class="excerpt" lang="{e(source["language"])}">{marked(seed_text(root, source["source_id"]), spans)}</div>')
    return page(source["title"] or f"Source {source['source_id']}", body, 1)


def build_site(root: Path, out: Path) -> list[Path]:
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    if out.exists():
        shutil.rmtree(out)
    for part in ("data", "schemas", "seeds"):
        shutil.copytree(root / part, out / part)
    shutil.copy2(root / "datapackage.json", out / "datapackage.json")
    pages = {"style.css": STYLE + "\n", "index.html": overview(root, package)}
    for resource in package["resources"]:
        pages[f"tables/{resource['name']}.html"] = table_page(root, resource)
    claims, checks = read(root, "claims"), read(root, "checks")
    sources = {s["source_id"]: s for s in read(root, "sources")}
    investments = {r["fact_id"]: r for r in read(root, "investments")}
    for pledge in read(root, "pledges"):
        pledge = investments.get(pledge["fact_id"], pledge)
        pages[f"pledges/{pledge['fact_id']}.html"] = pledge_page(
            root, pledge, [c for c in claims if c["fact_id"] == pledge["fact_id"]],
            [c for c in checks if c["fact_id"] == pledge["fact_id"]], sources)
    for source_id, source in sources.items():
        pages[f"sources/{source_id}.html"] = source_page(root, source, [c for c in claims if c["source_id"] == source_id])
    for relative, text in pages.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text, encoding="utf-8")
    return sorted(out / p for p in pages if p.endswith(".html"))


def main(argv: list[str] | None = None) -> int:
    out = ROOT / "site"
    written = build_site(ROOT, out)
    print(f"==> wrote {len(written)} pages in site/ (open site/index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
