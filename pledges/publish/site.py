"""Build a static site of the package in site/: browsable without Python and without a network.

    python -m pledges.publish.site

Every page comes from a Jinja2 template (pledges/publish/templates/) with autoescaping, so text
from the annotations is always shown as text. The home page leads with the Choose France 2024
pledges in France (who, what, the figure as stated, can I print it), then one chart of the money
pledges with their stated bounds (static SVG by Vega-Lite, with its figures as a table and a
CSV), the events' sums, related deals and reported totals apart. A page per pledge answers "can
I print this figure?" and shows its links, delivery, corrections and every claim in its
paragraph; a page per source shows each quote in its paragraph (never the whole article), with
the archived text's hash and how to verify it; a page per table shows its rows first (numbers
and dates never wrap, the key column stays in view, rows link to their pledge and source) and
its dictionary folded after them; the methodology page; and a downloads page (CSV, Parquet, Web
Annotations, the zip, the workbook and the SQLite database of this build). Each page carries the
licence, the citation and the version with its date.

Everything is read and written through the safe file layer; every table is read once and every
article once, and rows are grouped by pledge and source once, so the site grows linearly with the
package (make bench times it). The downloads are made by two worker processes while the pages are
rendered (the workbook, the slowest, in one of its own); the pages and downloads are written into a
staging folder that replaces the site whole.
"""

from __future__ import annotations

import csv
import hashlib
import io
import multiprocessing
import re
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from markdown_it import MarkdownIt
from markupsafe import Markup

from pledges import ROOT, files, vocabulary
from pledges.errors import BuildFailed, Problem, command
from pledges.inputs.metadata import DATAPACKAGE, read_datapackage, web_address
from pledges.inputs.seeds import seed_file
from pledges.inputs.yamlfile import format_characters
from pledges.publish.docs import package_citation
from pledges.publish.templating import TEMPLATES, environment
from pledges.tables.contract import package_failures, parse
from pledges.tables.schemas import load_schema
from pledges.wording import converted, describe, hedge_words, progress_words
from pledges.wording import figure as written

CHART_WIDTH = 270  # px of the plot area: with its padding, a chart fits a 390 px phone screen unscaled
# A table page shows its first rows, a number a reader can scroll; every row is in its CSV (and
# every pledge and source on its own page), so the site grows with the data, not its table pages.
ROWS_SHOWN = 1000
LINE = 48  # characters of a chart's title or footer line at that width
# The columns a reader needs first on each table page (the rest follow in the schema's order).
FIRST = {"pledges": ["fact_id", "label", "subject", "value", "value_to", "unit", "qualifier", "status"],
         "claims": ["claim_id", "fact_id", "source_id", "value", "value_to", "unit", "qualifier", "quote"],
         "checks": ["check_id", "fact_id", "verdict", "explanation"],
         "sources": ["source_id", "name", "language", "published"]}
NUMERIC = {"integer", "number", "date"}
LINKED = {"fact_id": "pledges", "other_fact_id": "pledges", "source_id": "sources", "copy_of": "sources",
          "headline_claim_id": "claim", "delivery_claim_id": "claim", "claim_id": "claim"}
SUMMARIES = {
    ("currency", "cannot tell"): "{who} wrote {wrote}: either the pledge converted ({expected}) and rounded to "
                                 "the precision written, or the pledge's number under another currency sign; "
                                 "the words cannot tell which.",
    ("currency", "inconsistent"): "{who} wrote {wrote}: the pledge's number under another currency sign, not its "
                                  "conversion ({expected}).",
    ("conversion", "inconsistent"): "{who} wrote {wrote}, which is not the pledge converted ({expected}).",
    ("value", "inconsistent"): "{who} wrote {wrote} where the headline is {expected}.",
    ("value", "cannot tell"): "{who} wrote {wrote}, too coarse to tell from {expected}.",
    ("qualifier", "inconsistent"): "Sources agree on the figure and differ on the hedge ({found}).",
    ("target", "inconsistent"): "Sources give different deadlines ({found}); the table shows {expected}.",
    ("total", "inconsistent"): "{who} wrote {wrote} as the total, but the pledges it combines add up to {expected}.",
    ("total", "cannot tell"): "{who} wrote {wrote} as the total, which the pledges it combines do not confirm "
                              "({expected}).",
}


# ------------------------------------------------------------------------------------------- reading

def table(root: Path, relative: str) -> list[dict]:
    """A table of the built package, through the safe file layer."""
    return list(csv.DictReader(io.StringIO(files.read_text(root, relative), newline="")))


def figure(value: str, unit: str, qualifier: str, value_to: str = "") -> str:
    """A figure as a reader writes it: "more than EUR 1.2bn", "up to 25,000 GPUs", "EUR 30bn to 50bn"."""
    if not value:
        return "no figure"
    return written(Decimal(value), unit, qualifier, Decimal(value_to) if value_to else None)


def bounds(low: str, high: str, unit: str, qualifier: str = "unhedged") -> str:
    """The stated interval in words: only the ends a source states."""
    if low and high:
        if low == high:
            return f"{describe(Decimal(low), unit)}, with no hedge"
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


def money(pledge: dict) -> str:
    """The amount as stated, with its hedge, and in euros and dollars at the ECB rate, to the unit
    (as the tables keep it), with the same hedge: never rounded onto another number."""
    unit, rate = pledge["unit"], f"the ECB rate of {pledge['rate_date']} ({pledge['eur_usd_rate']} USD per EUR)"
    if not pledge["amount_eur"]:
        low, high = pledge["amount_eur_low"], pledge["amount_eur_high"]
        return f"{bounds(low, high, 'EUR')} at {rate}"
    qualifier = pledge["qualifier"]
    hedge = "" if qualifier == "unhedged" else f"{hedge_words(qualifier)} "
    shown = [f"{figure(pledge['value'], unit, qualifier, pledge['value_to'])} as stated"]
    for code in ("EUR", "USD"):
        if code != unit:
            amount = Decimal(pledge["amount_" + code.lower()])
            rounded = describe(converted(amount, Decimal(pledge["value"])), code)
            shown.append(f"{hedge}{code} {amount:,f} (about {rounded}) at {rate}")
    return "; ".join(shown)


def link(url: str) -> str:
    """An address the pages may link to: http or https only (never javascript:, data: or file:)."""
    return url if web_address(url) else ""


def source_date(source: dict) -> str:
    if source["published"]:
        return source["published"] + ("" if source["date_basis"] == "stated" else f" ({source['date_basis']})")
    if source["published_earliest"]:
        return f"between {source['published_earliest']} and {source['published_latest']} (inferred)"
    return "date unknown"


def source_about(source: dict) -> str:
    copy = f"; a near-copy of source {source['copy_of'][:3]}" if source["copy_of"] else ""
    return f"{source['name']}, in {source['language_name']}, {source_date(source)}{copy}"


def visible(text: str) -> str:
    """Text of an article as a page shows it: a format character (a bidirectional override, a
    zero-width space) replaced by U+FFFD, so that no text reads otherwise than it is. One character
    for one, so offsets stay those of the archived text."""
    return format_characters().sub("\ufffd", text)


def excerpt(text: str, spans: list[tuple[int, int, str, str]]) -> list[dict]:
    """`text` cut into parts at every end of a (start, end, id, link) span: each part a span covers
    is marked and links to the claim of the innermost span over it (the latest to start), and the
    part where a span starts carries its anchor, so that overlapping quotes each keep their own."""
    points = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    parts = []
    for left, right in zip(points, points[1:]):
        covering = [s for s in spans if s[0] <= left and right <= s[1]]
        if not covering:
            parts.append({"mark": False, "text": text[left:right]})
            continue
        starting = [s[2] for s in sorted(spans) if s[0] == left]
        inner = max(covering, key=lambda s: (s[0], -s[1]))
        parts.append({"mark": True, "text": text[left:right], "id": starting[0] if starting else "",
                      "anchors": starting[1:], "link": inner[3]})
    return parts


def paragraphs(text: str, spans: list[tuple[int, int, str, str]]) -> list[list[dict]]:
    """The paragraphs (lines) of `text` that hold a quote, each with its quotes marked: what the
    site shows of an article, never its whole text."""
    by_line: dict[tuple[int, int], list] = {}
    for start, end, ident, target in spans:
        left = text.rfind("\n", 0, start) + 1
        right = text.find("\n", end)
        right = len(text) if right < 0 else right
        by_line.setdefault((left, right), []).append((start - left, end - left, ident, target))
    return [excerpt(visible(text[left:right]), marks) for (left, right), marks in sorted(by_line.items())]


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


def document(relative: str) -> Markup:
    """A Markdown document of this checkout's docs/ as HTML (markdown-it, raw HTML in it escaped),
    its title left to the page, read through the safe file layer (a link or a FIFO is refused)."""
    text = files.read_text(ROOT, relative)
    body = text.split("\n", 1)[1] if text.startswith("# ") else text
    body = re.sub(r"\]\((?!https?:)([a-z-]+)\.md\)", r"](\1.html)", body)  # links between documents
    body = re.sub(r"^<!-- [a-z-]+:(start|end) -->\n", "", body, flags=re.M)  # markers of generated parts
    return Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(body))


# -------------------------------------------------------------------------------------------- chart

def money_chart(rows: list[dict], title: str, footer: str) -> tuple[str, dict]:
    """One chart of the money pledges in euros: a bar to each pledge's stated figure (its low end
    for a range), a line over its stated interval, and an arrow to the edge where the words state
    no upper end; labels as the sources state the figure. SVG with fixed bytes."""
    scale = Decimal("1e9")
    data = []
    for row in rows:
        low, high = row["amount_eur_low"], row["amount_eur_high"]
        point = Decimal(row["amount_eur"] or low or high)
        text = figure(row["value"], row["unit"], row["qualifier"], row["value_to"])
        if row["unit"] != "EUR":
            hedge = "" if row["qualifier"] == "unhedged" else f"{hedge_words(row['qualifier'])} "
            euros = float(converted(point, Decimal(row["value"])) / scale)
            text += f" ({hedge}EUR {euros:g}bn at the ECB rate, rounded)"
        name = row["label"] if row["label"].startswith(row["subject"]) else f"{row['subject']}: {row['label']}"
        data.append({"pledge": textwrap.shorten(name, LINE, placeholder="…"),
                     "value": float(point / scale), "low": float(Decimal(low) / scale) if low else None,
                     "high": float(Decimal(high) / scale) if high else None, "text": text,
                     "bounds": bounds(low, high, "EUR", row["qualifier"]), "fact_id": row["fact_id"],
                     "status": row["status"]})
    data.sort(key=lambda d: -d["value"])
    top = max(max(d["value"], d["high"] or 0) for d in data) * 1.25
    for d in data:
        d["open"] = d["high"] is None and d["low"] is not None
        d["to"] = top if d["open"] else d["high"]
        d["from"] = d["low"] if d["low"] is not None else 0.0
    import altair as alt  # here, not at the top: the downloads' workers start before any chart is drawn
    import vl_convert

    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("pledge:N", sort=None, title=None, axis=alt.Axis(labels=False, ticks=False, domain=False)))
    bars = base.mark_bar(color="#4c78a8", height=14).encode(
        x=alt.X("value:Q", title="EUR billion (ECB rate of each announcement)",
                scale=alt.Scale(domain=[0, top], nice=False), axis=alt.Axis(tickCount=4)))
    spans = base.transform_filter("datum.to != null").mark_rule(color="#1f2328", strokeWidth=2).encode(
        x="from:Q", x2="to:Q")
    arrows = base.transform_filter("datum.open").mark_point(shape="triangle-right", size=60, filled=True,
                                                             color="#1f2328").encode(x="to:Q")
    names = base.mark_text(align="left", baseline="bottom", dy=-10, x=0, fontSize=12).encode(text="pledge:N")
    labels = base.mark_text(align="left", baseline="top", dy=10, x=0, fontSize=12, fontWeight="bold").encode(
        text="text:N")
    layered = alt.layer(bars, spans, arrows, names, labels).properties(
        width=CHART_WIDTH, height=alt.Step(64),
        title=alt.TitleParams(textwrap.wrap(title, LINE - 8), subtitle=textwrap.wrap(footer, LINE + 6),
                              anchor="start", fontSize=14, subtitleFontSize=11))
    spec = layered.configure_view(stroke=None).configure(font="DejaVu Sans", background="white",
                                                         padding={"left": 8, "right": 16, "top": 8, "bottom": 8})
    svg = vl_convert.vegalite_to_svg(spec.to_dict())
    alt_text = f"{title}. " + "; ".join(f"{d['pledge']}: {d['text']}, {d['bounds']}" for d in data)
    return svg, {"alt": alt_text, "bars": data}


def chart_csv(bars: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["fact_id", "pledge", "figure_as_stated", "eur_billion", "stated_low_eur_billion",
                     "stated_high_eur_billion", "status"])
    for bar in bars:
        writer.writerow([bar["fact_id"], bar["pledge"], bar["text"], f"{bar['value']:g}",
                         "" if bar["low"] is None else f"{bar['low']:g}",
                         "" if bar["high"] is None else f"{bar['high']:g}",
                         bar["status"]])
    return out.getvalue()


# --------------------------------------------------------------------------------------------- pages

def disagreement(check: dict, sources: dict, claims: dict) -> str:
    """One sentence for a finding that is not plainly consistent: who wrote what, and what it means."""
    first = claims.get(check["claim_ids"].split(";")[0]) if check["claim_ids"] else None
    source = sources.get(check["source_id"]) if check["source_id"] else None
    who = f"One {source['language_name']} article ({source['name']})" if source else "A source"
    wrote = figure(first["value"], first["unit"], first["qualifier"], first["value_to"]) if first else check["found"]
    template = SUMMARIES.get((check["kind"], check["verdict"]), "{verdict}: {explanation}")
    return template.format(who=who, wrote=wrote, **check)


def cells(row: dict, names: list[str], kinds: dict[str, str], claims: dict[str, dict]) -> list[dict]:
    """A row's cells for a table page: numbers and dates marked so they never wrap, ids linked to
    their pledge or source page (a claim to its place on its pledge's page)."""
    out = []
    for name in names:
        value, target = row[name], ""
        kind = LINKED.get(name)
        # a path under the site's own folders, its name quoted: never an address a cell could make
        if value and kind == "pledges":
            target = f"../pledges/{quote(value)}.html"
        elif value and kind == "sources":
            target = f"../sources/{quote(value)}.html"
        elif value and kind == "claim" and value in claims:
            target = f"../pledges/{quote(claims[value]['fact_id'])}.html#{quote(value)}"
        out.append({"text": value, "link": target, "class": "num" if kinds[name] in NUMERIC or target else ""})
    return out


def grouped(rows: list[dict], key: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row[key], []).append(row)
    return found


def build_site(root: Path, out: Path) -> list[Path]:
    """Write the site into `out`, replaced whole and at once: written beside it first and swapped
    into place (pledges.files.Swap), so that a site that cannot be built leaves the previous one
    as it was, and an interrupted one is finished or undone by the next run. A link in its place
    is moved aside, never followed."""
    package = read_datapackage(root)
    vocabulary.use(root)
    files.Swap.recover(out.parent, f".{out.name}-", [out.name])
    swap = files.Swap(out.parent, out.name, [out.name])
    staging = f"{swap.staging}/new/{out.name}"
    files.make_folder(out.parent, staging)
    try:
        pages = _write(root, out.parent / staging, package)
        swap.commit()
    except BaseException:
        swap.abandon()
        raise
    return sorted(out / p for p in pages)


def _write(root: Path, out: Path, package: dict) -> list[str]:
    """Every file of the site, written into `out` (the staging folder); the pages' paths. The
    downloads are made and written by two worker processes meanwhile."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with context.Pool(2) as workers:  # leaving the block stops the workers, whatever happened
        made = [workers.apply_async(make, (root, package, out)) for make in (workbook_file, release_files)]
        pages = _pages(root, out, package)
        for done in made:
            done.get()  # a worker's failure is raised here, and the site is not swapped in
    return pages


def _pages(root: Path, out: Path, package: dict) -> list[str]:
    """Every page of the site, written into `out`; their paths."""
    schemas = {r["name"]: load_schema(root, r["schema"].removeprefix("schemas/").removesuffix(".json"))
               for r in package["resources"]}
    raw = {r["name"]: parse(files.read_bytes(root, r["path"])) for r in package["resources"]}  # rows, header first
    # The pages show and link what the tables hold: first, every rule of their schemas (the build's
    # own check), so that a table edited by hand is refused, named, before any page is written.
    failures = {name: found for name, found in package_failures(raw, schemas).items() if found}
    if failures:
        raise BuildFailed([Problem(f"data/{name}.csv", "", found[0], "a table as make build writes it",
                                   f"{len(found)} problems" if len(found) > 1 else "", "run make build")
                           for name, found in failures.items()])
    tables = {name: [dict(zip(rows[0], row)) for row in rows[1:]] for name, rows in raw.items()}  # checked: even rows
    for resource in package["resources"]:
        for relative in (resource["path"], resource["schema"]):
            files.copy_file(root, relative, out)
    files.copy_file(root, DATAPACKAGE, out)
    files.write_bytes(out, "style.css", (TEMPLATES / "style.css").read_bytes())
    env = environment()
    version = f"{package['version']} of {package['created'][:10]}"
    common = {"package": package, "version": version, "licence": package["licenses"][0],
              "citation": package_citation(package)}
    sources = {s["source_id"]: s for s in tables["sources"]}
    claims = {c["claim_id"]: c for c in tables["claims"]}
    claims_of, checks_of = grouped(tables["claims"], "fact_id"), grouped(tables["checks"], "fact_id")
    by_source = grouped(tables["claims"], "source_id")
    links_of: dict[str, list[dict]] = {}
    for row in tables.get("links", []):  # a link shows on the pages of both its pledges
        for end in dict.fromkeys((row["fact_id"], row["other_fact_id"])):
            links_of.setdefault(end, []).append(row)
    corrections_of = grouped(tables.get("corrections", []), "target")
    texts = {sid: seed_text(root, sources[sid]) for sid in sorted(by_source)}  # each article read once
    pledges = tables["pledges"]
    amounts = {r["fact_id"]: r for r in tables.get("investments", [])}

    pages: dict[str, str] = {}
    pages["index.html"] = home(env, common, package, pledges, amounts, tables, sources, out)
    pages["methodology.html"] = env.get_template("document.html").render(
        **common, up="", title="How to read a figure", html=document("docs/methodology.md"))
    pages["downloads.html"] = downloads(env, common, package)
    for resource in package["resources"]:
        fields = schemas[resource["name"]]["fields"]
        kinds = {f["name"]: f["type"] for f in fields}
        first = [n for n in FIRST.get(resource["name"], FIRST["pledges"] if "status" in kinds else []) if n in kinds]
        names = first + [f["name"] for f in fields if f["name"] not in first]
        dictionary = [{"name": f["name"], "type": f["type"], "description": f["description"],
                       "required": "yes" if f.get("constraints", {}).get("required") else ""} for f in fields]
        every = tables[resource["name"]]
        pages[f"tables/{resource['name']}.html"] = env.get_template("table.html").render(
            **common, up="../", title=resource["title"], resource=resource, fields=dictionary, names=names,
            total=len(every), rows=[cells(row, names, kinds, claims) for row in every[:ROWS_SHOWN]])
    template, words = env.get_template("pledge.html"), relation_words()
    for pledge in pledges:
        fid = pledge["fact_id"]
        pages[f"pledges/{fid}.html"] = template.render(
            **common, up="../", **pledge_page(amounts.get(fid, pledge), claims_of.get(fid, []),
                                              checks_of.get(fid, []), sources, texts, links_of.get(fid, []),
                                              corrections_of, claims, words))
    template = env.get_template("source.html")
    for sid, source in sources.items():
        pages[f"sources/{sid}.html"] = template.render(
            **common, up="../", **source_page(source, by_source.get(sid, []), texts.get(sid, ""),
                                              corrections_of.get(f"source {sid}", [])))
    files.write_new_files(out, {relative: text.encode("utf-8") for relative, text in pages.items()})
    return list(pages)


def home(env, common: dict, package: dict, pledges: list[dict], amounts: dict, tables: dict, sources: dict,
         out: Path) -> str:
    def summary(p: dict) -> dict:
        return {**p, "figure": figure(p["value"], p["unit"], p["qualifier"], p["value_to"]),
                "status_class": p["status"].replace(" ", "-")}

    events = vocabulary.current()
    chosen = sorted((p for p in pledges if events.leads(p)), key=events.lead_order)
    money = [amounts[p["fact_id"]] for p in chosen if p["fact_id"] in amounts]
    chart = None
    if money:
        used = sorted({s for p in money for s in p["source_ids"].split(";")})
        independent = len({sources[s]["copy_of"] or s for s in used})
        articles = f"{len(used)} news article{'s' if len(used) != 1 else ''}"
        footer = (f"Bars: each pledge's figure as stated, in euros; lines: the bounds its words state; an arrow: no "
                  f"upper bound stated. Source: {articles} ({independent} independent), data/"
                  f"investments.csv, version {common['version']}. Licence {common['licence']['name']}.")
        title = f"{events.lead_title()}: the money, by company"
        svg, about = money_chart(money, title, footer)
        files.write_text(out, "charts/money.svg", svg)
        files.write_text(out, "charts/money.csv", chart_csv(about["bars"]))
        width, height = svg.split('width="')[1].split('"')[0], svg.split('height="')[1].split('"')[0]
        chart = {"file": "charts/money.svg", "csv": "charts/money.csv", "width": width, "height": height,
                 "alt": about["alt"], "caption": f"{title}. {footer}", "bars": about["bars"]}
    led = {p["fact_id"] for p in chosen}
    related = [summary(p) for p in pledges if p["kind"] == "pledge" and p["fact_id"] not in led]
    return env.get_template("index.html").render(
        **common, up="", title=package["title"], chosen=[summary(p) for p in chosen], chart=chart,
        companies=listed(sorted({p["subject"] for p in chosen})) or "the companies",
        lead_title=events.lead_title(), lead_means=events.lead_means(),
        events=tables.get("events", []), related=related,
        totals=[summary(p) for p in pledges if p["kind"] == "total"],
        statements=[summary(p) for p in pledges if p["kind"] == "statement"],
        resources=package["resources"],
        sources=[{"source_id": i, "about": source_about(s), "title": s["title"]} for i, s in sources.items()])


def release_files(root: Path, package: dict, out: Path) -> None:
    """This build as a zip (as a release holds it), its exports (made once, for the zip) and a
    SQLite database, written into `out` (the site's staging folder, as new files through the safe
    file layer; the database made in a scratch folder of its own first). Like workbook_file, it
    runs in a worker process while the pages are rendered: the three share the two cores alike
    (lowering this one's priority was measured slower at 10,000 sources: it then ran alone at the
    end, one core idle), and each writes its own files: no download is passed between processes
    (some 200 MB of them at 10,000 sources)."""
    from pledges.publish.database import write_database
    from pledges.publish.exports import export_names
    from pledges.publish.release import release_contents, scratch, zipped

    vocabulary.use(root)
    folder = f"{package['name']}-{package['version']}"
    contents = release_contents(root)
    made = {f"downloads/{folder}.zip": zipped(contents, folder)}
    made.update({f"downloads/{relative}": contents[relative] for relative in export_names(package)})
    with scratch(root) as tmp:
        write_database(root, tmp / "site.sqlite", read=contents.__getitem__)
        made[f"downloads/{folder}.sqlite"] = files.read_bytes(tmp, "site.sqlite", files.BUILT_BYTES)
    files.write_new_files(out, made)


def workbook_file(root: Path, package: dict, out: Path) -> None:
    """The workbook, written into `out` (the slowest download: a worker of its own)."""
    from pledges.publish.workbook import write_workbook

    vocabulary.use(root)
    buffer = io.BytesIO()
    write_workbook(root, buffer, citation=package_citation(package))
    files.write_new_files(out, {f"downloads/{package['name']}-{package['version']}.xlsx": buffer.getvalue()})


def listed(names: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) if names else ""


def downloads(env, common: dict, package: dict) -> str:
    """The downloads page: every file the workers make, and the tables as CSV."""
    folder = f"{package['name']}-{package['version']}"
    offered = [{"file": f"downloads/{folder}.zip", "what": "the package as a release holds it: tables, schemas, "
                "Parquet, Web Annotations, the archived articles, README, licence, citation and verify.py"},
               {"file": f"downloads/{folder}.xlsx", "what": "a workbook: a README sheet, then the tables' sheets "
                "(a topic table's rows are in the pledges sheet, as the README sheet says)"},
               {"file": f"downloads/{folder}.sqlite", "what": "a SQLite database, typed, with a view "
                f"(headline_pledges): {vocabulary.current().lead_title()}"},
               {"file": "downloads/claims.jsonld", "what": "every claim as a W3C Web Annotation on its article"},
               {"file": "datapackage.json", "what": "the Frictionless Data Package descriptor"}]
    offered += [{"file": f"downloads/parquet/{r['name']}.parquet", "what": f"{r['title']} as Parquet"}
                for r in package["resources"]]
    offered += [{"file": r["path"], "what": f"{r['title']} as CSV ({r['bytes']} bytes, sha256 "
                 f"{r['hash'].removeprefix('sha256:')[:12]}…)"} for r in package["resources"]]
    return env.get_template("downloads.html").render(**common, up="", title="Downloads", offered=offered)


def relation_words() -> dict[str, str]:
    """How a page says each relation of the links table ("is in addition to")."""
    terms = vocabulary.current()
    return {r: terms.attribute("relations", r, "words") for r in terms.names("relations")}


def pledge_page(pledge: dict, claims: list[dict], checks: list[dict], sources: dict, texts: dict, links: list[dict],
                corrections_of: dict[str, list[dict]], every_claim: dict[str, dict], words: dict[str, str]) -> dict:
    by_id = {c["claim_id"]: c for c in claims}
    items = []
    for claim in claims:
        source = sources[claim["source_id"]]
        text = texts[claim["source_id"]]
        start, end = int(claim["quote_start"]), int(claim["quote_end"])
        left, right = text.rfind("\n", 0, start) + 1, text.find("\n", end)
        right = len(text) if right < 0 else right
        items.append({**claim, "figure": figure(claim["value"], claim["unit"], claim["qualifier"], claim["value_to"]),
                      "progress_words": progress_words(claim["progress"]), "source_name": source["name"],
                      "source_about": source_about(source), "url": link(source["url"]), "language": source["language"],
                      "excerpt": excerpt(visible(text[left:right]), [(start - left, end - left, claim["claim_id"],
                                                                      "")])})
    shown_links = []
    for row in links:
        words_of = every_claim[row["claim_id"]]["quote"] if row["claim_id"] in every_claim else ""
        own = row["fact_id"] == pledge["fact_id"]
        # "this pledge is in addition to X", or "X is in addition to this pledge"
        shown_links.append({"lead": f"This pledge {words[row['relation']]}" if own else "",
                            "tail": "" if own else f" {words[row['relation']]} this pledge",
                            "other": row["other_fact_id"] if own else row["fact_id"], "quote": words_of,
                            "claim_id": row["claim_id"]})
    targets = [f"fact {pledge['fact_id']}", *(f"claim {c['claim_id']}" for c in claims)]
    regions = pledge["region_names_en"]
    return {
        "title": pledge["label"],
        "figure": figure(pledge["value"], pledge["unit"], pledge["qualifier"], pledge["value_to"]),
        "deadline": pledge["target_date"], "status": pledge["status"],
        "deadline_words": sorted({c["target_text"] for c in claims
                                  if c["target_date"] == pledge["target_date"] and c["target_text"]}),
        "status_class": pledge["status"].replace(" ", "-"),
        "answer": pledge["print_advice"], "basis": pledge["headline_basis"],
        "delivery": pledge["delivery"], "delivery_note": pledge["delivery_note"],
        "in_totals": pledge["in_totals"] == "true", "links": shown_links,
        "corrections": sorted((c for target in targets for c in corrections_of.get(target, [])),
                              key=lambda c: c["correction_id"]),
        "disagreements": [disagreement(c, sources, by_id) for c in checks if c["verdict"] != "consistent"],
        "bounds": bounds(pledge["stated_low"], pledge["stated_high"], pledge["unit"], pledge["qualifier"]),
        "amounts": money(pledge) if pledge.get("rate_date") else "", "announced": announcement(pledge),
        "where": f"{pledge['subject']}; {pledge['recipient'] or 'recipient not stated'}; "
                 f"{pledge['country_name'] or 'country not stated'}{'; ' + regions if regions else ''}",
        "scope": vocabulary.current().means("scopes", pledge["scope"])
        + (f"; {pledge['kind']}" if pledge["kind"] != "pledge" else ""),
        "sources_line": f"{pledge['n_sources']} article{'s' if pledge['n_sources'] != '1' else ''}, "
                        f"{pledge['n_independent']} independent",
        "findings": checks, "claims": items}


def source_page(source: dict, claims: list[dict], text: str, corrections: list[dict]) -> dict:
    """What a source's page shows; `corrections`, those of the source itself."""
    spans = [(int(c["quote_start"]), int(c["quote_end"]), c["claim_id"],
              f"../pledges/{quote(c['fact_id'])}.html#{quote(c['claim_id'])}")
             for c in claims]
    evidence = f"; the date rests on “{source['date_evidence']}”" if source["date_evidence"] else ""
    return {"title": source["title"] or f"Source {source['source_id']}", "source": source,
            "about": source_about(source) + evidence, "n_claims": len(claims), "link": link(source["url"]),
            "corrections": corrections,
            "paragraphs": paragraphs(text, spans) if text else []}


@command("site")
def main(argv: list[str] | None = None) -> int:
    written_pages = build_site(ROOT, ROOT / "site")
    print(f"==> wrote {len(written_pages)} pages in site/ (open site/index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
