"""Release the package: dist/<name>-<version>.zip and .sqlite, their sha256 in dist/SHA256SUMS.

    python -m pledges.release

Refuses, with the reason, when the version was released already, when CHANGELOG.md has no
entry for it, when data/ or datapackage.json have uncommitted changes, or when they differ from
a fresh build of the committed annotations and seeds. The zip is byte-stable (fixed times and
order) and holds what a reader needs: datapackage.json, data/, schemas/, README, licence,
citation and changelog. The SQLite database is made from the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from pledges.database import write_database

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", "LICENSE.md", "CITATION.cff", "CHANGELOG.md")
BUILD_INPUTS = ("annotations", "seeds", "schemas", "package.yaml", "build.py", "pledges")


class Refused(Exception):
    """A release that must not be made, with the reason."""


def package_files(root: Path) -> list[str]:
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    paths = {"datapackage.json", *DOCUMENTS}
    for resource in package["resources"]:
        paths |= {resource["path"], resource["schema"]}
    return sorted(paths)


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
        for part in BUILD_INPUTS:
            (shutil.copytree if (root / part).is_dir() else shutil.copy2)(root / part, Path(tmp) / part)
        built = subprocess.run([sys.executable, "build.py", "--root", tmp], cwd=tmp, capture_output=True, text=True,
                               check=False)
        if built.returncode != 0:
            raise Refused("the committed annotations do not build:\n" + built.stderr.rstrip())
        differ = [p for p in ["datapackage.json", *(f"data/{f.name}" for f in sorted((Path(tmp) / "data").iterdir()))]
                  if not (root / p).exists() or (root / p).read_bytes() != (Path(tmp) / p).read_bytes()]
    if differ:
        raise Refused("the committed data differ from a fresh build: " + ", ".join(differ) + "; run make build and commit")


def write_zip(root: Path, path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in package_files(root):
            info = zipfile.ZipInfo(relative, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (root / relative).read_bytes())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release(root: Path, dist: Path) -> list[Path]:
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    name, version = package["name"], package["version"]
    check_releasable(root, version, dist, name)
    dist.mkdir(parents=True, exist_ok=True)
    archive, database = dist / f"{name}-{version}.zip", dist / f"{name}-{version}.sqlite"
    write_zip(root, archive)
    with zipfile.ZipFile(archive) as released:
        write_database(root, database, read=released.read)
    with open(dist / "SHA256SUMS", "a", encoding="utf-8") as sums:
        for path in (archive, database):
            sums.write(f"{sha256(path)}  {path.name}\n")
    return [archive, database]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Release the package into dist/.")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
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
