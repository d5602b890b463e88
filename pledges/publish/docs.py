"""Generated documentation, so that no document can go stale: written by `make build` (and
`make docs`), checked in CI and by the tests.

    python -m pledges.publish.docs [--check]

- docs/data-dictionary.md: every table's columns from its Table Schema, each schema described once
  (the topic tables share the pledges schema), and every vocabulary of schemas/vocabulary.yaml;
- CITATION.cff, from package.yaml's title, version and date;
- README.md's generated sections (between marker comments): the key figures of the Choose France
  2024 pledges in France, from data/pledges.csv, and the citation;
- docs/methodology.md's table of statuses, from the vocabulary.

With --check, nothing is written and the exit status says whether everything is current.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from pledges import ROOT, files, vocabulary
from pledges.errors import command
from pledges.inputs.metadata import package_metadata
from pledges.tables.schemas import load_schema
from pledges.wording import figure

DICTIONARY = "docs/data-dictionary.md"
GENERATED = "*Generated from `schemas/` and `schemas/vocabulary.yaml` by `make docs`; do not edit by hand.*"
ADVICE = {"conflicting": "the figure only attributed to its source, with the disagreement",
          "hedges differ": "\"about\" the figure, saying that sources differ on the hedge",
          "single source": "the figure as that source's", "corroborated": "the headline as it stands"}


def constraints(field: dict) -> str:
    rules = []
    for key, value in field.get("constraints", {}).items():
        if key == "required":
            continue
        if key == "enum":
            rules.append("one of " + ", ".join(f"`{v}`" for v in value))
        elif key == "unique":
            rules.append("unique")
        elif key == "pattern":
            rules.append(f"matches `{value}`")
        else:
            rules.append(f"{key} {value}")
    return "; ".join(rules)


def citation(meta: dict) -> str:
    """How to cite this version, as every citation of the package says it."""
    authors = "; ".join(c["title"] for c in meta["contributors"])
    return (f"{authors} ({meta['date'][:4]}). {meta['title']} (version {meta['version']}, {meta['date']}) "
            f"[Data set]. {meta['licenses'][0]['name']}.")


def package_citation(package: dict) -> str:
    """The citation of a built package (its datapackage.json)."""
    return citation({"title": package["title"], "version": package["version"], "date": package["created"][:10],
                     "contributors": package["contributors"], "licenses": package["licenses"]})


class _Quoted(str):
    """Text CITATION.cff writes in double quotes."""


class _Folded(str):
    """Text CITATION.cff writes as a folded block (>-)."""


class _CffDumper(yaml.SafeDumper):
    """YAML as CITATION.cff has always been written: lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


_CffDumper.add_representer(_Quoted, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text,
                                                                                 style='"'))
_CffDumper.add_representer(_Folded, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text,
                                                                                 style=">"))


def citation_cff(meta: dict) -> str:
    """CITATION.cff, written by a YAML emitter (never by pasting text into YAML, so that no value
    of package.yaml can add a key), in the order and styles it has always had."""
    document = {"cff-version": "1.2.0",
                "message": _Quoted("If you use this dataset, please cite the version you used."),
                "type": "dataset", "title": _Quoted(meta["title"]),
                "abstract": _Folded(" ".join(meta["description"].split())),
                "authors": [{"name": _Quoted(c["title"])} for c in meta["contributors"]],
                "version": meta["version"], "date-released": date.fromisoformat(meta["date"]),
                "license": meta["licenses"][0]["name"],
                "keywords": [k.strip() for k in meta["keywords"].split(",")]}
    return yaml.dump(document, Dumper=_CffDumper, sort_keys=False, allow_unicode=True, width=1 << 30)


def dictionary(root: Path, meta: dict) -> str:
    lines = ["# Data dictionary", "", GENERATED, "",
             "Every table of `data/`, with the Table Schema in `schemas/` that describes it (the published "
             "contract, which `make validate` checks), then every vocabulary its columns use.", ""]
    users: dict[str, list[dict]] = {}
    for spec in meta["resources"]:
        users.setdefault(spec["schema"], []).append(spec)
    for schema_name, specs in users.items():
        schema = load_schema(root, schema_name)
        names = ", ".join(f"`data/{s['name']}.csv`" for s in specs)
        lines += [f"## {names}", ""]
        for spec in specs:
            lines += [f"- **{spec['title']}** (`data/{spec['name']}.csv`): {spec['description']}"]
        lines += ["", f"Schema: `schemas/{schema_name}.json`; primary key: "
                  + ", ".join(f"`{k}`" for k in schema["primaryKey"]) + ".", "",
                  "| field | type | required | constraints | description |", "|---|---|---|---|---|"]
        for field in schema["fields"]:
            required = "yes" if field.get("constraints", {}).get("required") else ""
            description = field["description"].replace("|", "\\|")
            lines.append(f"| `{field['name']}` | {field['type']} | {required} | {constraints(field)} | {description} |")
        lines.append("")
    words = vocabulary.current()
    lines += ["## Vocabularies", "", "From `schemas/vocabulary.yaml`, the one registry of them.", ""]
    for section in words.entries:
        lines += [f"### {section.replace('_', ' ')}", "", "| value | means |", "|---|---|"]
        lines += [f"| `{value}` | {entry['means'].replace('|', '/')} |"
                  for value, entry in words.entries[section].items()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def between(text: str, name: str, body: str) -> str:
    """`text` with the part between <!-- name:start --> and <!-- name:end --> replaced by `body`."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text:
        return text
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    return f"{before}{start}\n{body.rstrip()}\n{end}{after}"


def key_figures(root: Path) -> str:
    """The pledges the package leads with (Vocabulary.leads: those of Choose France 2024 in France),
    from data/pledges.csv, as a Markdown table."""
    if not files.is_file(root, "data/pledges.csv"):
        return "*Run `make build` to make the tables.*"
    terms = vocabulary.current()
    rows = [r for r in csv.DictReader(io.StringIO(files.read_text(root, "data/pledges.csv"), newline=""))
            if terms.leads(r)]
    lines = ["| who | what | figure, as stated | deadline | can I print it? |", "|---|---|---|---|---|"]
    for row in sorted(rows, key=terms.lead_order):
        stated = figure(Decimal(row["value"]), row["unit"], row["qualifier"],
                        Decimal(row["value_to"]) if row["value_to"] else None)
        lines.append(f"| {row['subject']} | {row['label']} | {stated} | {row['target_date'] or '-'} | "
                     f"{row['status']}: {row['n_stating']} of {row['n_sources']} sources give its number |")
    return "\n".join(lines)


def statuses() -> str:
    words = vocabulary.current()
    lines = ["| status | means | what to print |", "|---|---|---|"]
    lines += [f"| {status} | {words.means('statuses', status)} | {ADVICE.get(status, '')} |"
              for status in words.names("statuses")]
    return "\n".join(lines)


def generated(root: Path) -> dict[str, str]:
    """Every generated document (or generated part of one) of the package under `root`, by path."""
    vocabulary.use(root)
    meta = package_metadata(root)
    out = {DICTIONARY: dictionary(root, meta), "CITATION.cff": citation_cff(meta)}
    if files.is_file(root, "README.md"):
        readme = between(files.read_text(root, "README.md"), "key-figures", key_figures(root))
        out["README.md"] = between(readme, "citation", citation(meta))
    if files.is_file(root, "docs/methodology.md"):
        out["docs/methodology.md"] = between(files.read_text(root, "docs/methodology.md"), "statuses", statuses())
    return out


def stale(root: Path) -> dict[str, str]:
    """The generated documents that differ from what `make docs` would write, with that text."""
    return {path: text for path, text in generated(root).items()
            if not files.is_file(root, path) or files.read_text(root, path) != text}


@command("docs")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the documents generated from the schemas and the data.")
    parser.add_argument("--check", action="store_true", help="write nothing; fail when one is out of date")
    parser.add_argument("--root", type=Path, default=ROOT, help="the package (default: this checkout)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.check:
        out_of_date = stale(root)
        if out_of_date:
            print(f"{', '.join(out_of_date)}: out of date with the schemas, the data or package.yaml; run make docs",
                  file=sys.stderr)
            return 1
        return 0
    for path, text in stale(root).items():
        files.write_text(root, path, text)
        print(f"==> {path} regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
