"""Release the package: dist/<name>-<version>.zip, .sqlite and .xlsx, their sha256 in dist/SHA256SUMS.

    python -m pledges.publish.release

Refuses, with the reason, when the version was released already, when CHANGELOG.md has no
entry for it, when data/ or datapackage.json have uncommitted changes, or when they differ from
a fresh build of the committed annotations and seeds. The zip is byte-stable (fixed times and
order) and holds, under one top folder <name>-<version>/, what a reader needs to use the data
and to prove every quote: datapackage.json, data/, schemas/, seeds/, README, licence, citation,
changelog and verify.py (standard library only: `python verify.py` checks every checksum and
every quote against its seed). The SQLite database and the workbook are made from the zip's
bytes. Each file is written under a temporary name and renamed into place, and SHA256SUMS,
rewritten from every release in dist/, comes last: a release cut short leaves nothing that
blocks the next one.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from pledges import ROOT
from pledges.errors import command
from pledges.lock import exclusive
from pledges.publish.database import write_database
from pledges.publish.workbook import write_workbook

DOCUMENTS = ("README.md", "LICENSE.md", "CITATION.cff", "CHANGELOG.md", "verify.py")
ARTEFACTS = (".zip", ".sqlite", ".xlsx")
BUILD_INPUTS = ("annotations", "seeds", "schemas", "package.yaml", "build.py", "pledges")


class Refused(Exception):
    """A release that must not be made, with the reason."""



def copy_parts(source: Path, destination: Path, parts) -> None:
    """Copy the files and folders `parts` of `source` into `destination`."""
    for part in parts:
        (shutil.copytree if (source / part).is_dir() else shutil.copy2)(source / part, destination / part)

def package_files(root: Path) -> list[str]:
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    paths = {"datapackage.json", *DOCUMENTS, "seeds/README.md"}
    for resource in package["resources"]:
        paths |= {resource["path"], resource["schema"]}
    with open(root / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        paths |= {row["seed_file"] for row in csv.DictReader(f)}
    return sorted(p for p in paths if (root / p).is_file())


def check_releasable(root: Path, version: str, dist: Path, name: str) -> None:
    if (dist / f"{name}-{version}.zip").exists():
        raise Refused(f"version {version} is released already ({dist.name}/{name}-{version}.zip); "
                      "raise the version in package.yaml (see 'Versions and releases' in README.md) and rebuild")
    if f"## {version} " not in (root / "CHANGELOG.md").read_text(encoding="utf-8"):
        raise Refused(f"CHANGELOG.md has no entry '## {version} ...'; write it (make diff FROM=<last version> helps)")
    status = subprocess.run(["git", "status", "--porcelain", "--", "data", "datapackage.json", *BUILD_INPUTS],
                            cwd=root, capture_output=True, text=True, check=False)
    if status.returncode != 0:
        raise Refused("a release is made from a git checkout, so that its data are the committed data")
    if status.stdout.strip():
        raise Refused("uncommitted changes in the package; commit them first:\n" + status.stdout.rstrip())
    with tempfile.TemporaryDirectory() as tmp:
        copy_parts(root, Path(tmp), BUILD_INPUTS)
        built = subprocess.run([sys.executable, "build.py", "--root", tmp], cwd=tmp, capture_output=True, text=True,
                               check=False)
        if built.returncode != 0:
            raise Refused("the committed annotations do not build:\n" + built.stderr.rstrip())
        differ = [p for p in ["datapackage.json", *(f"data/{f.name}" for f in sorted((Path(tmp) / "data").iterdir()))]
                  if not (root / p).exists() or (root / p).read_bytes() != (Path(tmp) / p).read_bytes()]
    if differ:
        raise Refused("the committed data differ from a fresh build: " + ", ".join(differ) + "; run make build and commit")


def write_zip(root: Path, path: Path, folder: str) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in package_files(root):
            info = zipfile.ZipInfo(f"{folder}/{relative}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (root / relative).read_bytes())


def _in_place(final: Path, write) -> None:
    """Write `final` through a temporary name in its folder, then rename it into place."""
    partial = final.with_name(f".{final.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        write(partial)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)


def write_sums(dist: Path) -> None:
    """SHA256SUMS of every release artefact in dist/, rewritten whole (never appended to)."""
    lines = [f"{sha256(p)}  {p.name}\n" for p in sorted(dist.iterdir()) if p.suffix in ARTEFACTS and p.is_file()]
    _in_place(dist / "SHA256SUMS", lambda path: path.write_text("".join(lines), encoding="utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release(root: Path, dist: Path) -> list[Path]:
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    name, version = package["name"], package["version"]
    check_releasable(root, version, dist, name)
    dist.mkdir(parents=True, exist_ok=True)
    folder = f"{name}-{version}"
    archive, database, workbook = (dist / f"{folder}{suffix}" for suffix in ARTEFACTS)
    for stale in (database, workbook):
        stale.unlink(missing_ok=True)  # left by a release killed before its zip was in place
    with tempfile.TemporaryDirectory(dir=dist) as tmp:
        staged = Path(tmp) / archive.name
        write_zip(root, staged, folder)
        with zipfile.ZipFile(staged) as released:
            read = lambda relative: released.read(f"{folder}/{relative}")  # noqa: E731
            _in_place(database, lambda path: write_database(root, path, read=read))
            _in_place(workbook, lambda path: write_workbook(root, path, read=read))
        os.replace(staged, archive)  # the zip last: a version counts as released once it is there
    write_sums(dist)
    return [archive, database, workbook]


@command("release")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Release the package into dist/.")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        with exclusive(root, "release"):
            made = release(root, root / "dist")
    except Refused as refusal:
        print(f"release refused: {refusal}", file=sys.stderr)
        return 1
    for path in made:
        print(f"==> wrote dist/{path.name} ({path.stat().st_size} bytes, sha256 {sha256(path)})")
    print("==> sha256 sums in dist/SHA256SUMS (check with: cd dist && sha256sum -c SHA256SUMS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
