"""Build a static site of the package in site/: browsable without Python and without a network.

    python -m pledges.publish.site

Every page comes from a Jinja2 template in pledges/templates/ with autoescaping, so text from
the annotations is always shown as text. Pages: an overview with charts of the Choose France
2024 pledges in France (static SVG drawn by Vega-Lite through altair and vl-convert, with a
text alternative and the figures in a table), a page per table with its data dictionary and
downloads, a page per pledge that answers "can I print this figure?" with each claim's quote
highlighted in its article, and a page per source with every claim marked. Each page carries the
licence, the citation, the version, the build date and a link to the data; only links leave the
site, never assets.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
import textwrap
import unicodedata
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import altair as alt
from markdown_it import MarkdownIt
from markupsafe import Markup
import vl_convert

from pledges import ROOT
from pledges.errors import command
from pledges import files
from pledges.inputs.metadata import DATAPACKAGE, read_datapackage
from pledges.inputs.seeds import seed_file
from pledges.publish.docs import constraints
from pledges.publish.templating import TEMPLATES, environment
from pledges.wording import converted, describe
from pledges.wording import figure as written

CHART_WIDTH = 270  # px of the plot area: with its padding, a chart fits a 390 px phone screen unscaled
LINE = 48  # characters of a chart's title or footer line at that width
SCOPE_WORDS = {"choose_france_2024": "announced for France at Choose France 2024",
               "related": "related context (another country or an earlier deal)"}


def read(root: Path, table: str) -> list[dict]:
    """A table of the built package, through the safe file layer."""
    return list(csv.DictReader(io.StringIO(files.read_text(root, f"data/{table}.csv"), newline="")))


def figure(value: str, unit: str, qualifier: str, value_to: str = "") -> str:
    """A figure as a reader writes it: "more than EUR 1.2bn", "up to 25,000 GPUs", "EUR 30bn to 50bn"."""
    return written(Decimal(value), unit, qualifier, Decimal(value_to) if value_to else None)


def bounds(low: str, high: str, unit: str, qualifier: str = "unhedged") -> str:
    """The stated interval in words: only the ends a source states."""
    if low and high:
        if low == high:
            return f"exactly {describe(Decimal(low), unit)}, as stated"
        return f"from {describe(Decimal(low), unit)} to {describe(Decimal(high), unit)}"
    if low:
        return f"{'more than' if qualifier == 'more_than' else 'at least'} {describe(Decimal(low), unit)}; " \
               "no upper bound stated"
    if high:
        return f"{'less than' if qualifier == 'nearly' else 'at most'} {describe(Decimal(high), unit)}; " \
               "no lower bound stated"
    return "no bound stated"


def announcement(pledge: dict) -> str:
    """The announcement day with its basis: an external date is said to be one, with the rate it sets."""
    basis, day = pledge["announced_date_basis"], pledge["announced"]
    rate = f"; it sets the ECB rate ({pledge['eur_usd_rate']} USD per EUR, {pledge['rate_date']})" \
        if pledge.get("rate_date") else ""
    if basis == "external":
        return f"{day}: a date no source gives (the annotators', {pledge['announced_evidence']}){rate}"
    if basis == "unknown":
        return f"not known: {pledge['announced_evidence']}"
    return f"{day} ({basis}: {pledge['announced_evidence']}){rate}"


def link(url: str) -> str:
    """An address the pages may link to: http or https only (never javascript:, data: or file:)."""
    return url if re.fullmatch(r"https?://[^\s<>\"'`]+", url, re.IGNORECASE) else ""


def source_name(source: dict) -> str:
    return source["name"]


def source_date(source: dict) -> str:
    if source["published"]:
        return source["published"] + ("" if source["date_basis"] == "stated" else f" ({source['date_basis']})")
    if source["published_earliest"]:
        return f"between {source['published_earliest']} and {source['published_latest']} (inferred)"
    return "date unknown"


def source_about(source: dict) -> str:
    return f"{source_name(source)}, in {source['language_name']}, {source_date(source)}"


# ------------------------------------------------------------------------------------------ charts

def chart_rows(root: Path) -> dict[str, list[dict]]:
    """The pledges each chart shows: Choose France 2024 pledges in France, no totals, no statements."""
    shown = {}
    for table in ("investments", "jobs", "training", "startups", "gpus", "energy"):
        rows = [r for r in read(root, table)
                if r["scope"] == "choose_france_2024" and r["country"] == "FR" and r["kind"] == "pledge"]
        if rows:
            shown[table] = rows
    return shown


def chart(table: str, title: str, rows: list[dict], footer: str) -> tuple[str, dict]:
    """A bar chart as SVG (deterministic bytes) and what the page says about it."""
    money = table == "investments"
    unit = "EUR" if money else rows[0]["unit"]
    scale = Decimal("1e9") if money else Decimal(1)
    axis = "EUR billion, at the ECB rate of the announcement" if money else describe(Decimal(1), unit)[2:]
    data = []
    def point(row):
        return row["amount_eur"] or row["amount_eur_low"] if money else row["value"]

    for row in sorted(rows, key=lambda r: -float(point(r))):
        value = Decimal(point(row))
        low = row["amount_eur_low" if money else "stated_low"]
        high = row["amount_eur_high" if money else "stated_high"]
        text = figure(row["value"], row["unit"], row["qualifier"], row["value_to"])
        if money and row["unit"] != "EUR":
            text += f" (EUR {float(value / scale):g}bn)"
        data.append({"pledge": textwrap.shorten(row["label"], LINE, placeholder="…"), "value": float(value / scale),
                     "bounds": bounds(low, high, unit, row["qualifier"]),
                     "low": float(Decimal(low) / scale) if low else 0.0, "high": float(Decimal(high) / scale) if high else None,
                     "text": text, "fact_id": row["fact_id"]})
    top = max(max(d["value"], d["high"] or 0) for d in data) * 1.05
    for d in data:
        d["high"] = top if d["high"] is None else d["high"]  # an open bound runs to the edge
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("pledge:N", sort=None, title=None, axis=alt.Axis(labels=False, ticks=False, domain=False)))
    bars = base.mark_bar(color="#4c78a8", height=14).encode(
        x=alt.X("value:Q", title=axis, scale=alt.Scale(domain=[0, top], nice=False), axis=alt.Axis(tickCount=4)))
    whiskers = base.mark_rule(color="#1f2328", strokeWidth=2).encode(x="low:Q", x2="high:Q")
    names = base.mark_text(align="left", baseline="bottom", dy=-10, x=0, fontSize=12).encode(text="pledge:N")
    figures = base.mark_text(align="left", baseline="top", dy=10, x=0, fontSize=12, fontWeight="bold").encode(
        text="text:N")
    layered = alt.layer(bars, whiskers, names, figures).properties(
        width=CHART_WIDTH, height=alt.Step(64),
        title=alt.TitleParams(textwrap.wrap(title, LINE - 8), subtitle=textwrap.wrap(footer, LINE + 6),
                              anchor="start", fontSize=14, subtitleFontSize=11))
    spec = layered.configure_view(stroke=None).configure(font="DejaVu Sans", background="white",
                                                         padding={"left": 8, "right": 16, "top": 8, "bottom": 8})
    svg = vl_convert.vegalite_to_svg(spec.to_dict())
    alt_text = f"{title}. " + "; ".join(f"{d['pledge']}: {d['text']}, {d['bounds']}" for d in data)
    return svg, {"alt": alt_text, "bars": data}


def charts(root: Path, package: dict, built: str, out: Path) -> list[dict]:
    titles = {r["name"]: r["title"] for r in package["resources"]}
    sources = len(read(root, "sources"))
    footer = (f"Bars: the consensus figure; lines: its bounds (to the edge where open). "
              f"Source: {sources} news articles (data/claims.csv), version {package['version']}, built {built}.")
    found = []
    for table, rows in chart_rows(root).items():
        title = f"Choose France 2024 pledges in France: {titles[table].lower()}"
        svg, about = chart(table, title, rows, footer)
        files.write_text(out, f"charts/{table}.svg", svg)
        width, height = (svg.split('width="')[1].split('"')[0], svg.split('height="')[1].split('"')[0])
        statuses = {r["fact_id"]: r["status"] for r in rows}
        found.append({
            "file": f"charts/{table}.svg", "width": width, "height": height, "alt": about["alt"],
            "caption": f"{title}. {footer}",
            "bars": [{"fact_id": b["fact_id"], "label": b["pledge"], "text": b["text"],
                      "bounds": b["bounds"], "status": statuses[b["fact_id"]]} for b in about["bars"]]})
    return found


# ------------------------------------------------------------------------------------------- pages

def excerpt(text: str, spans: list[tuple[int, int, str, str]]) -> list[dict]:
    """`text` cut into parts, each (start, end, id, link) span a marked part. Overlapping spans
    merge into one mark that still carries an anchor for every id, so links to each claim land."""
    merged: list[list] = []
    for start, end, ident, link in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(ident)
        else:
            merged.append([start, end, [ident], link])
    parts, at = [], 0
    for start, end, idents, link in merged:
        parts += [{"mark": False, "text": text[at:start]},
                  {"mark": True, "text": text[start:end], "id": idents[0], "anchors": idents[1:], "link": link}]
        at = end
    return parts + [{"mark": False, "text": text[at:]}]


def seed_text(root: Path, source: dict) -> str:
    """The source's article, from seeds/ and nowhere else, and only the seed the package was built
    from (its sha256 is the one data/sources.csv records), whatever data/sources.csv names."""
    name = Path(source["seed_file"]).name
    where = seed_file(name)
    if where is None or source["seed_file"] != where:
        raise files.Unsafe(source["seed_file"], "not a seed file in seeds/ (data/sources.csv, seed_file)")
    raw = files.read_bytes(root, where)
    if hashlib.sha256(raw).hexdigest() != source["seed_sha256"]:
        raise files.Unsafe(where, "differs from the seed data/sources.csv records; run make build")
    return raw.decode("utf-8")


# One sentence per kind and verdict of finding, for the pledge page; the checks list gives the numbers.
SUMMARIES = {
    ("currency", "cannot tell"): "{who} wrote {wrote}: either the pledge converted ({expected}) and rounded to "
                                 "the precision written, or the pledge's number under another currency sign; "
                                 "the words cannot tell which.",
    ("currency", "inconsistent"): "{who} wrote {wrote}: the pledge's number under another currency sign, not its "
                                  "conversion ({expected}).",
    ("conversion", "inconsistent"): "{who} wrote {wrote}, which is not the pledge converted ({expected}).",
    ("value", "inconsistent"): "{who} wrote {wrote} where the other sources give {expected}.",
    ("value", "cannot tell"): "{who} wrote {wrote}, too coarse to tell from {expected}.",
    ("qualifier", "inconsistent"): "Sources agree on the figure and differ on the hedge ({found}).",
    ("target", "inconsistent"): "Sources give different deadlines ({found}); the table shows {expected}.",
    ("total", "inconsistent"): "{who} wrote {wrote} as the total, but the pledges it combines add up to {expected}.",
    ("total", "cannot tell"): "{who} wrote {wrote} as the total, which the pledges it combines do not confirm "
                              "({expected}).",
}


def disagreement(check: dict, sources: dict, claims: dict) -> str:
    """One sentence for a finding that is not plainly consistent: who wrote what, and what it means."""
    first = claims.get(check["claim_ids"].split(";")[0]) if check["claim_ids"] else None
    source = sources.get(check["source_id"]) if check["source_id"] else None
    who = f"One {source['language_name']} article ({source_name(source)})" if source else "A source"
    wrote = figure(first["value"], first["unit"], first["qualifier"]) if first else check["found"]
    template = SUMMARIES.get((check["kind"], check["verdict"]), "{verdict}: {explanation}")
    return template.format(who=who, wrote=wrote, **check)


def pledge_page(root: Path, pledge: dict, claims: list[dict], checks: list[dict], sources: dict) -> dict:
    by_id = {c["claim_id"]: c for c in claims}
    wordings = {}
    for claim in claims:
        wordings.setdefault(source_name(sources[claim["source_id"]]), []).append(f"“{claim['quote']}”")
    items = []
    for claim in claims:
        source = sources[claim["source_id"]]
        text = seed_text(root, source)
        start, end = int(claim["quote_start"]), int(claim["quote_end"])
        left, right = text.rfind("\n", 0, start) + 1, text.find("\n", end)
        right = len(text) if right < 0 else right
        items.append({**claim, "figure": figure(claim["value"], claim["unit"], claim["qualifier"], claim["value_to"]),
                      "source_name": source_name(source), "source_about": source_about(source),
                      "url": link(source["url"]), "language": source["language"],
                      "excerpt": excerpt(visible(text[left:right]), [(start - left, end - left, claim["claim_id"], "")])})
    amounts = money(pledge) if pledge.get("rate_date") else ""
    regions = pledge["region_names_en"]
    return {
        "title": pledge["label"],
        "figure": figure(pledge["value"], pledge["unit"], pledge["qualifier"], pledge["value_to"]),
        "deadline": pledge["target_date"], "status": pledge["status"], "status_class": pledge["status"].replace(" ", "-"),
        "answer": pledge["print_advice"], "basis": pledge["headline_basis"],
        "disagreements": [disagreement(c, sources, by_id) for c in checks if c["verdict"] != "consistent"],
        "bounds": bounds(pledge["stated_low"], pledge["stated_high"], pledge["unit"], pledge["qualifier"]),
        "amounts": amounts, "announced": announcement(pledge),
        "where": f"{pledge['subject']}; {pledge['recipient'] or 'recipient not stated'}; "
                 f"{pledge['country_name'] or 'worldwide'}{'; ' + regions if regions else ''}",
        "scope": SCOPE_WORDS[pledge["scope"]] + (f"; {pledge['kind']}" if pledge["kind"] != "pledge" else ""),
        "wordings": [f"{name}: {', '.join(quotes)}" for name, quotes in wordings.items()],
        "findings": checks, "claims": items}


def money(pledge: dict) -> str:
    """The amount in euros and dollars, for reading: the other currency to three significant figures
    or more, never rounded onto the stated number (the tables keep the exact conversion)."""
    unit, rate = pledge["unit"], f"the ECB rate of {pledge['rate_date']} ({pledge['eur_usd_rate']} USD per EUR)"
    if not pledge["amount_eur"]:
        return (f"from {describe(Decimal(pledge['amount_eur_low']), 'EUR')} to "
                f"{describe(Decimal(pledge['amount_eur_high']), 'EUR')} at {rate}")
    amounts = {"EUR": Decimal(pledge["amount_eur"]), "USD": Decimal(pledge["amount_usd"])}
    stated = Decimal(pledge["value"])
    shown = [f"{describe(stated, unit)} as stated"] if unit not in amounts else []
    for code, amount in amounts.items():
        shown.append(f"{describe(stated, unit)} as stated" if code == unit
                     else f"about {describe(converted(amount, stated), code)} at {rate}")
    return "; ".join(shown)


def paragraphs(text: str, spans: list[tuple[int, int, str, str]]) -> list[list[dict]]:
    """The paragraphs (lines) of `text` that hold a quote, each cut into parts with its quotes
    marked (excerpt): what the site shows of an article, never its whole text."""
    by_line: dict[tuple[int, int], list] = {}
    for start, end, ident, link in spans:
        left = text.rfind("\n", 0, start) + 1
        right = text.find("\n", end)
        right = len(text) if right < 0 else right
        by_line.setdefault((left, right), []).append((start - left, end - left, ident, link))
    return [excerpt(visible(text[left:right]), marks) for (left, right), marks in sorted(by_line.items())]


def visible(text: str) -> str:
    """Text of an article as a page shows it: a format character (a bidirectional override, a
    zero-width space) written out as its code point, so that no text reads otherwise than it is.
    One character for one, so offsets stay those of the archived text."""
    return "".join("\ufffd" if unicodedata.category(c) == "Cf" else c for c in text)


def source_page(root: Path, source: dict, claims: list[dict]) -> dict:
    spans = [(int(c["quote_start"]), int(c["quote_end"]), c["claim_id"], f"../pledges/{c['fact_id']}.html")
             for c in claims]
    evidence = f"; the date rests on “{source['date_evidence']}”" if source["date_evidence"] else ""
    return {"title": source["title"] or f"Source {source['source_id']}", "source": source,
            "about": source_about(source) + evidence, "n_claims": len(claims), "link": link(source["url"]),
            "paragraphs": paragraphs(seed_text(root, source), spans)}


def document(path: Path) -> Markup:
    """A Markdown document of docs/ as HTML (markdown-it, raw HTML in it escaped), its title left
    to the page; the documents are the package's own, never text from the data."""
    text = path.read_text(encoding="utf-8")
    body = text.split("\n", 1)[1] if text.startswith("# ") else text
    return Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(body))


def citation(root: Path, package: dict) -> str:
    cff = files.read_text(root, "CITATION.cff") if files.is_file(root, "CITATION.cff") else ""
    title = next((line.split(":", 1)[1].strip().strip('"') for line in cff.splitlines() if line.startswith("title:")),
                 package["title"])
    return f"{title}, version {package['version']} (CITATION.cff)."


def built_date() -> str:
    """The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return when.date().isoformat()


def build_site(root: Path, out: Path) -> list[Path]:
    """Write the site into `out` (replaced whole, a link in its place removed, never followed). It
    carries the tables, their schemas and datapackage.json, copied through the safe file layer, but
    no article: source pages show each quote in its paragraph."""
    package = read_datapackage(root)
    files.remove(out.parent, out.name)
    files.make_folder(out.parent, out.name)
    for resource in package["resources"]:
        for relative in (resource["path"], resource["schema"]):
            files.copy_file(root, relative, out)
    files.copy_file(root, DATAPACKAGE, out)
    files.write_bytes(out, "style.css", (TEMPLATES / "style.css").read_bytes())
    env, built = environment(), built_date()
    common = {"package": package, "built": built, "licence": package["licenses"][0], "citation": citation(root, package)}
    claims, checks = read(root, "claims"), read(root, "checks")
    sources = {s["source_id"]: s for s in read(root, "sources")}
    pledge_rows = read(root, "pledges")
    investments = {r["fact_id"]: r for r in read(root, "investments")}
    pages = {"index.html": env.get_template("index.html").render(
        **common, up="", title=package["title"], charts=charts(root, package, built, out),
        resources=package["resources"],
        pledges=[{**p, "figure": figure(p["value"], p["unit"], p["qualifier"], p["value_to"]),
                  "scope": SCOPE_WORDS[p["scope"]],
                  "status_class": p["status"].replace(" ", "-")} for p in pledge_rows],
        sources=[{"source_id": i, "name": source_name(s), "about": f"{s['title'] or 'no headline'}; in "
                  f"{s['language_name']}, {source_date(s)}"} for i, s in sources.items()])}
    for resource in package["resources"]:
        schema = json.loads(files.read_text(root, resource["schema"]))
        fields = [{"name": f["name"], "type": f["type"], "description": f["description"], "constraints": constraints(f),
                   "required": "yes" if f.get("constraints", {}).get("required") else ""} for f in schema["fields"]]
        pages[f"tables/{resource['name']}.html"] = env.get_template("table.html").render(
            **common, up="../", title=resource["title"], resource=resource, fields=fields,
            names=[f["name"] for f in schema["fields"]], rows=read(root, resource["name"]))
    pages["methodology.html"] = env.get_template("document.html").render(
        **common, up="", title="How to read a figure", html=document(ROOT / "docs" / "methodology.md"))
    for pledge in pledge_rows:
        row = investments.get(pledge["fact_id"], pledge)
        pages[f"pledges/{pledge['fact_id']}.html"] = env.get_template("pledge.html").render(
            **common, up="../", **pledge_page(root, row, [c for c in claims if c["fact_id"] == pledge["fact_id"]],
                                              [c for c in checks if c["fact_id"] == pledge["fact_id"]], sources))
    for source_id, source in sources.items():
        pages[f"sources/{source_id}.html"] = env.get_template("source.html").render(
            **common, up="../", **source_page(root, source, [c for c in claims if c["source_id"] == source_id]))
    for relative, text in pages.items():
        files.write_text(out, relative, text)
    return sorted(out / p for p in pages)


@command("site")
def main(argv: list[str] | None = None) -> int:
    out = ROOT / "site"
    written = build_site(ROOT, out)
    print(f"==> wrote {len(written)} pages in site/ (open site/index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
