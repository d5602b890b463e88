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
import re
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import daff

from pledges import ROOT, files
from pledges.errors import command, visible
from pledges.inputs.metadata import VERSION, read_datapackage
from pledges.tables.schemas import load_schema


@dataclass(frozen=True)
class TableDiff:
    table: str
    added: int
    removed: int
    changed: int
    terminal: str
    rows: list[dict]  # the highlighted diff: each row's kind (add, remove, modify...) and its cells


# What an earlier version may make the diff read: each file as the package limits its inputs
# (files.MAX_BYTES), and all of them together. A zip member's size is checked as its header
# declares it and as it unpacks, so that neither a zip bomb nor a lying header can exceed them.
MAX_FILE = files.MAX_BYTES
MAX_TOTAL = 4 * files.MAX_BYTES


class Budget:
    """Bytes left to read from an earlier version, for each file and in all."""

    def __init__(self) -> None:
        self.left = MAX_TOTAL

    def limit(self) -> int:
        return min(MAX_FILE, self.left)

    def take(self, where: str, data: bytes, limit: int) -> bytes:
        if len(data) > limit:
            raise LookupError(f"{where}: more than {limit} bytes unpacked, more than the diff reads of an earlier "
                              f"version ({MAX_FILE} bytes a file, {MAX_TOTAL} in all); it is not a release this "
                              "package made")
        self.left -= len(data)
        return data


def previous_file(root: Path, name: str, version: str):
    """A function reading a file of the earlier version, or None when that version cannot be found."""
    if not VERSION.fullmatch(version):
        raise LookupError(f"{version[:40]!r} is not a version (MAJOR.MINOR.PATCH, such as 2.0.0)")
    budget = Budget()
    zipped = f"dist/{name}-{version}.zip"
    if files.kind(root, zipped) is not None:
        archive = io.BytesIO(files.read_bytes(root, zipped, files.BUILT_BYTES))
        if not zipfile.is_zipfile(archive):
            raise LookupError(f"{zipped} is not a zip file (a release cut short, or damaged); "
                              "delete it, or download the release again")

        def from_zip(relative: str) -> bytes | None:
            with zipfile.ZipFile(archive) as z:  # under the release's top folder (or, before 2.0.0, at the top)
                for path in (f"{name}-{version}/{relative}", relative):
                    if path in z.namelist():
                        return _member(z, path, f"{zipped}: {path}", budget)
                return None
        return from_zip
    tag = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"v{version}^{{commit}}"], cwd=root,
                         capture_output=True, text=True, check=False)
    commit = f"v{version}" if tag.returncode == 0 else last_commit_of(root, version)
    if commit is None:
        return None

    def from_git(relative: str) -> bytes | None:
        return git_file(root, commit, relative, budget)
    return from_git


def _member(archive: zipfile.ZipFile, path: str, where: str, budget: Budget) -> bytes:
    """A zip member's bytes, read no further than the budget allows, whatever its header says."""
    limit = budget.limit()
    info = archive.getinfo(path)
    if info.file_size > limit:
        raise LookupError(f"{where}: {info.file_size} bytes unpacked, as its header says, more than the {limit} the "
                          "diff reads of a file of an earlier version; it is not a release this package made")
    try:
        with archive.open(info) as member:
            return budget.take(where, member.read(limit + 1), limit)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise LookupError(f"{where}: cannot be unpacked ({error}); delete the zip, or download the release again") \
            from None


def git_file(root: Path, commit: str, relative: str, budget: Budget) -> bytes | None:
    """`relative` as committed in `commit` (None when it is not there), read no further than the budget
    allows: a huge blob planted in the history is refused, never read whole."""
    limit = budget.limit()
    with subprocess.Popen(["git", "show", f"{commit}:{relative}"], cwd=root, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as shown:
        assert shown.stdout is not None
        data = shown.stdout.read(limit + 1)
        if len(data) > limit:
            shown.kill()
        status = shown.wait()
    if len(data) <= limit and status != 0:
        return None
    return budget.take(f"git {commit}:{relative}", data, limit)


def last_commit_of(root: Path, version: str) -> str | None:
    """The newest commit whose package.yaml has `version`: the version's data in any clone, tag or not."""
    log = subprocess.run(["git", "log", "--format=%H", "--", "package.yaml"], cwd=root, capture_output=True,
                         text=True, check=False)
    for commit in log.stdout.split():
        shown = git_file(root, commit, "package.yaml", Budget())
        text = shown.decode("utf-8", "replace") if shown else ""
        if re.search(rf"^version:\s*{re.escape(version)}\s*$", text, re.MULTILINE):
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
    # The terminal gets each cell with its control and format characters escaped (daff colours the
    # rest itself); the page gets them as they are, escaped by the template.
    shown = daff.PythonTableView([[c if c is None else visible(str(c)) for c in row] for row in highlighted.data])
    return TableDiff(table, summary.row_inserts, summary.row_deletes, summary.row_updates,
                     daff.TerminalDiffRender(flags).render(shown), _html_rows(highlighted.data))


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


def previous(root: Path, version: str):
    """previous_file of the package under `root`, or LookupError naming where it was looked for."""
    name = read_datapackage(root)["name"]
    read_old = previous_file(root, name, version)
    if read_old is None:
        raise LookupError(f"version {version} not found: not in dist/{name}-{version}.zip, "
                          f"as git tag v{version}, or in the history of package.yaml")
    return read_old


def diff(root: Path, version: str, read_old) -> list[TableDiff]:
    """Each table's diff from version `version` (its files read by `read_old`) to this build."""
    package = read_datapackage(root)
    diffs = []
    for resource in package["resources"]:
        schema = load_schema(root, Path(resource["schema"]).stem)
        old = read_old(resource["path"])
        try:
            diffs.append(diff_table(resource["name"], schema["primaryKey"][0], old,
                                    files.read_bytes(root, resource["path"])))
        except (UnicodeDecodeError, csv.Error) as error:
            raise LookupError(f"{resource['path']} of version {version} or of this build is not a table the package "
                              f"writes ({error})") from None
    return diffs


def corrections_since(root: Path, version: str, read_old) -> list[dict]:
    """The corrections of the current build that version `version` (read by `read_old`) did not have."""
    old = read_old("data/corrections.csv")
    try:
        known = {row.get("correction_id") for row in csv.DictReader(io.StringIO(old.decode("utf-8")))} if old \
            else set()
    except (UnicodeDecodeError, csv.Error) as error:
        raise LookupError(f"data/corrections.csv of version {version} is not a table the package writes "
                          f"({error})") from None
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
        read_old = previous(root, args.version)  # one read of the old version, under one size budget
        diffs = diff(root, args.version, read_old)
        fixes = corrections_since(root, args.version, read_old)
    except LookupError as error:
        print(visible(f"diff: {error}"), file=sys.stderr)
        return 1
    current = read_datapackage(root)["version"]
    for d in diffs:
        print(f"==> {d.table}: {d.added} added, {d.removed} removed, {d.changed} changed")
        if d.added or d.removed or d.changed:
            print(d.terminal)
    for fix in fixes:
        print(visible(f"==> correction {fix['correction_id']} ({fix['date']}, by {fix['by']}): {fix['target']} "
                      f"{fix['field']}: {fix['was']!r} -> {fix['now']!r}; {fix['why']}"))
    out = f"dist/diff-{args.version}-{current}.html"
    write_html(root, out, args.version, current, diffs)
    print(f"==> wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
