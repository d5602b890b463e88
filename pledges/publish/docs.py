"""Write the data dictionary into README.md from the Table Schemas, so it cannot go stale.

    python -m pledges.publish.docs [--check]

The dictionary sits between two marker comments in README.md; everything else in the README is
hand-written. With --check, nothing is written and the exit status says whether it is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pledges import ROOT, files
from pledges.errors import command
from pledges.inputs.metadata import package_metadata
from pledges.tables.schemas import load_schema

START, END = "<!-- dictionary:start -->", "<!-- dictionary:end -->"


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


def dictionary(root: Path) -> str:
    lines = [START, "", "*Generated from `schemas/` by `make docs`; do not edit by hand.*", ""]
    for spec in package_metadata(root)["resources"]:
        schema = load_schema(root, spec["schema"])
        lines += [f"### `data/{spec['name']}.csv`: {spec['title']}", "", spec["description"], "",
                  f"Schema: `schemas/{spec['schema']}.json`; primary key: "
                  + ", ".join(f"`{k}`" for k in schema["primaryKey"]) + ".", "",
                  "| field | type | required | constraints | description |", "|---|---|---|---|---|"]
        for field in schema["fields"]:
            required = "yes" if field.get("constraints", {}).get("required") else ""
            description = field["description"].replace("|", "\\|")
            lines.append(f"| `{field['name']}` | {field['type']} | {required} | {constraints(field)} | {description} |")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def updated_readme(root: Path) -> str:
    readme = files.read_text(root, "README.md")
    before, _, rest = readme.partition(START)
    _, _, after = rest.partition(END)
    return before + dictionary(root) + after


@command("docs")
def main(argv: list[str]) -> int:
    text = updated_readme(ROOT)
    current = files.read_text(ROOT, "README.md")
    if "--check" in argv:
        if text != current:
            print("README.md data dictionary is out of date with schemas/; run 'make docs'", file=sys.stderr)
            return 1
        return 0
    if text != current:
        files.write_text(ROOT, "README.md", text)
        print("==> README.md data dictionary regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
