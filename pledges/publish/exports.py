"""Columnar and evidence exports: every table as Parquet, typed from its Table Schema, and the
claims as W3C Web Annotations, which annotation tools can open on the archived articles.

- **Parquet** (pyarrow): one file per table, each column typed as its Table Schema says (string,
  int64, float64, date32, bool), empty cells as nulls; byte-stable for the same data and library.
- **Web Annotations** (JSON-LD, an AnnotationCollection): one annotation per claim, its target the
  archived article (its path in the release and its SHA-256) with a TextQuoteSelector (the quote,
  and 32 characters of prefix and suffix, so that it can be found again if offsets drift) and a
  TextPositionSelector (start and end, counted in Unicode code points, as the claims table
  counts them); its body says what the claim states.
"""

from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "date": pa.date32(),
         "boolean": pa.bool_()}
CONTEXT = 32  # characters of prefix and suffix around a quote


def parquet(data: bytes, schema: dict) -> bytes:
    """A table's CSV bytes as Parquet, typed from its Table Schema (read by Arrow's own CSV reader:
    an empty cell is a null, booleans are written true and false, as the build writes them)."""
    fields = schema["fields"]
    arrow = pa.schema([pa.field(f["name"], ARROW[f["type"]], nullable=not f.get("constraints", {}).get("required"))
                       for f in fields])
    table = pacsv.read_csv(pa.BufferReader(data), read_options=pacsv.ReadOptions(use_threads=False),
                           convert_options=pacsv.ConvertOptions(
                               column_types={f.name: f.type for f in arrow}, null_values=[""],
                               strings_can_be_null=True, true_values=["true"], false_values=["false"],
                               include_columns=arrow.names))
    buffer = io.BytesIO()
    pq.write_table(table.cast(arrow).combine_chunks(), buffer, compression="zstd")
    return buffer.getvalue()


def web_annotations(read, package: dict) -> bytes:
    """The claims as a W3C Web Annotation collection (JSON-LD); `read(relative) -> bytes` reads the
    package's files."""
    sources = {row["source_id"]: row for row in csv.DictReader(io.StringIO(read("data/sources.csv").decode("utf-8"),
                                                                             newline=""))}
    texts: dict[str, str] = {}
    items = []
    for claim in csv.DictReader(io.StringIO(read("data/claims.csv").decode("utf-8"), newline="")):
        source = sources[claim["source_id"]]
        if source["source_id"] not in texts:
            texts[source["source_id"]] = read(source["seed_file"]).decode("utf-8")
        text, start, end = texts[source["source_id"]], int(claim["quote_start"]), int(claim["quote_end"])
        stated = " to ".join(v for v in (claim["value"], claim["value_to"]) if v) or "no figure"
        items.append({
            "id": f"urn:{package['name']}:claim:{claim['claim_id']}", "type": "Annotation",
            "motivation": "describing",
            "body": {"type": "TextualBody", "format": "text/plain", "purpose": "describing",
                     "value": f"{claim['metric']} {stated} {claim['unit']} ({claim['qualifier']}), "
                              f"fact {claim['fact_id']}, rank {claim['rank']}"},
            "target": {
                "source": {"id": source["seed_file"], "type": "Text", "format": "text/plain",
                           "sha256": source["seed_sha256"]},
                "selector": [
                    {"type": "TextQuoteSelector", "exact": claim["quote"],
                     "prefix": text[max(0, start - CONTEXT):start], "suffix": text[end:end + CONTEXT]},
                    {"type": "TextPositionSelector", "start": start, "end": end},
                ]}})
    collection = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": f"urn:{package['name']}:claims",
                  "type": "AnnotationCollection", "label": f"{package['title']}: every claim, on its article",
                  "total": len(items), "first": {"type": "AnnotationPage", "items": items}}
    return (json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def export_names(package: dict) -> list[str]:
    """The path of every export in a release or on the site."""
    return [f"parquet/{r['name']}.parquet" for r in package["resources"]] + ["claims.jsonld"]


def exports(read, package: dict, schemas: dict[str, dict]) -> dict[str, bytes]:
    """Every export, by its path (export_names): parquet/<table>.parquet and claims.jsonld."""
    found = {f"parquet/{r['name']}.parquet": parquet(read(r["path"]), schemas[r["name"]])
             for r in package["resources"]}
    found["claims.jsonld"] = web_annotations(read, package)
    return found
