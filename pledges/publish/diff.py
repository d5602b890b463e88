"""Table diffs (daff) of every table between a released version and the current build.

    python -m pledges.publish.diff --from 1.0.0

The earlier version is read from dist/<name>-<version>.zip, or failing that from the git tag
v<version>, or from the newest commit whose package.yaml has that version (so a fresh clone can
diff against any version it has the history of). Rows are aligned by each table's primary key.
Prints, per table, the rows added, removed and changed and the diff itself; writes all of it to
dist/diff-<from>-<to>.html.
Used to write each CHANGELOG entry.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import daff

from pledges import ROOT, files
from pledges.errors import command
from pledges.inputs.metadata import VERSION, read_datapackage


@dataclass(frozen=True)
class TableDiff:
    table: str
    added: int
    removed: int
    changed: int
    terminal: str
    rows: list[dict]  # the highlighted diff: each row's kind (add, remove, modify...) and its cells


def previous_file(root: Path, name: str, version: str):
    """A function reading a file of the earlier version, or None when that version cannot be found."""
    if not VERSION.fullmatch(version):
        raise LookupError(f"{version[:40]!r} is not a version (MAJOR.MINOR.PATCH, such as 2.0.0)")
    zipped = f"dist/{name}-{version}.zip"
    if files.kind(root, zipped) is not None:
        archive = io.BytesIO(files.read_bytes(root, zipped))
        if not zipfile.is_zipfile(archive):
            raise LookupError(f"{zipped} is not a zip file (a release cut short, or damaged); "
                              "delete it, or download the release again")

        def from_zip(relative: str) -> bytes | None:
            with zipfile.ZipFile(archive) as z:  # under the release's top folder (or, before 2.0.0, at the top)
                for path in (f"{name}-{version}/{relative}", relative):
                    if path in z.namelist():
                        return z.read(path)
                return None
        return from_zip
    tag = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"v{version}^{{commit}}"], cwd=root,
                         capture_output=True, text=True, check=False)
    commit = f"v{version}" if tag.returncode == 0 else last_commit_of(root, version)
    if commit is None:
        return None

    def from_git(relative: str) -> bytes | None:
        shown = subprocess.run(["git", "show", f"{commit}:{relative}"], cwd=root, capture_output=True, check=False)
        return shown.stdout if shown.returncode == 0 else None
    return from_git


def last_commit_of(root: Path, version: str) -> str | None:
    """The newest commit whose package.yaml has `version`: the version's data in any clone, tag or not."""
    log = subprocess.run(["git", "log", "--format=%H", "--", "package.yaml"], cwd=root, capture_output=True,
                         text=True, check=False)
    for commit in log.stdout.split():
        shown = subprocess.run(["git", "show", f"{commit}:package.yaml"], cwd=root, capture_output=True, text=True,
                               check=False)
        if re.search(rf"^version:\s*{re.escape(version)}\s*$", shown.stdout, re.MULTILINE):
            return commit
    return None


def _rows(data: bytes | None, header: list[str]) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8")))) if data else [header]


def diff_table(table: str, key: str, old: bytes | None, new: bytes) -> TableDiff:
    new_rows = _rows(new, [])
    flags = daff.CompareFlags()
    flags.addPrimaryKey(key)
    alignment = daff.Coopy.compareTables(daff.PythonTableView(_rows(old, new_rows[0])),
                                         daff.PythonTableView(new_rows), flags).align()
    highlighted = daff.PythonTableView([])
    table_diff = daff.TableDiff(alignment, flags)
    table_diff.hilite(highlighted)
    summary = table_diff.getSummary()
    return TableDiff(table, summary.row_inserts, summary.row_deletes, summary.row_updates,
                     daff.TerminalDiffRender(flags).render(highlighted), _html_rows(highlighted.data))


ROW_KINDS = {"@@": "header", "+++": "add", "---": "remove", "->": "modify", "!": "spec", "...": "gap"}


def _html_rows(data: list[list]) -> list[dict]:
    """daff's highlighted table as rows for the template: "->" in a cell of a modified row marks a change."""
    rows = []
    for row in data:
        kind = ROW_KINDS.get(str(row[0]), "")
        cells = []
        for c in row:
            text = "" if c is None else str(c)
            modified = kind == "modify" and "->" in text
            cells.append({"text": text.replace("->", "→") if modified else text, "modified": modified})
        rows.append({"kind": kind, "cells": cells})
    return rows


def diff(root: Path, version: str) -> list[TableDiff]:
    package = read_datapackage(root)
    read_old = previous_file(root, package["name"], version)
    if read_old is None:
        raise LookupError(f"version {version} not found: not in dist/{package['name']}-{version}.zip, "
                          f"as git tag v{version}, or in the history of package.yaml")
    diffs = []
    for resource in package["resources"]:
        schema = json.loads(files.read_text(root, resource["schema"]))
        diffs.append(diff_table(resource["name"], schema["primaryKey"][0], read_old(resource["path"]),
                                files.read_bytes(root, resource["path"])))
    return diffs


def corrections_since(root: Path, version: str) -> list[dict]:
    """The corrections of the current build that the earlier version did not have."""
    read_old = previous_file(root, read_datapackage(root)["name"], version)
    old = read_old("data/corrections.csv") if read_old else None
    known = {row["correction_id"] for row in csv.DictReader(io.StringIO(old.decode("utf-8")))} if old else set()
    if files.kind(root, "data/corrections.csv") is None:
        return []
    rows = csv.DictReader(io.StringIO(files.read_text(root, "data/corrections.csv"), newline=""))
    return [row for row in rows if row["correction_id"] not in known]


def write_html(root: Path, relative: str, version: str, current: str, diffs: list[TableDiff]) -> None:
    from pledges.publish.templating import environment
    page = environment().get_template("diff.html").render(version=version, current=current, diffs=diffs)
    files.write_text(root, relative, page)


@command("diff")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Table diffs between a released version and the current build.")
    parser.add_argument("--from", dest="version", required=True, help="the earlier version, e.g. 1.0.0")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        diffs = diff(root, args.version)
    except LookupError as error:
        print(f"diff: {error}", file=sys.stderr)
        return 1
    current = read_datapackage(root)["version"]
    for d in diffs:
        print(f"==> {d.table}: {d.added} added, {d.removed} removed, {d.changed} changed")
        if d.added or d.removed or d.changed:
            print(d.terminal)
    for fix in corrections_since(root, args.version):
        print(f"==> correction {fix['correction_id']} ({fix['date']}, by {fix['by']}): {fix['target']} {fix['field']}: "
              f"{fix['was']!r} -> {fix['now']!r}; {fix['why']}")
    out = f"dist/diff-{args.version}-{current}.html"
    write_html(root, out, args.version, current, diffs)
    print(f"==> wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
