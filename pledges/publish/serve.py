"""Browse the package with Datasette, on this machine only.

    python -m pledges.publish.serve [--port 8001] [--prepare-only]

Writes dist/<name>.sqlite from the current build and dist/datasette-metadata.json (titles,
descriptions, column descriptions with their units, licence, sources), then runs Datasette on
127.0.0.1. --prepare-only writes the two files and stops (the tests start Datasette themselves).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pledges import (
    ROOT,
    errors,
)
from pledges.publish.database import datasette_metadata, write_database


def prepare(root: Path) -> tuple[Path, Path]:
    name = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["name"]
    (root / "dist").mkdir(exist_ok=True)
    database, metadata = root / "dist" / f"{name}.sqlite", root / "dist" / "datasette-metadata.json"
    write_database(root, database)
    metadata.write_text(json.dumps(datasette_metadata(root, database.stem), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    return database, metadata


def command(database: Path, metadata: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "datasette", "serve", str(database), "--metadata", str(metadata),
            "--host", "127.0.0.1", "--port", str(port), "--setting", "default_page_size", "100"]


@errors.command("serve")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Browse the package with Datasette.")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args(argv)
    database, metadata = prepare(args.root.resolve())
    print(f"==> wrote {database.name} and {metadata.name} in dist/")
    if args.prepare_only:
        return 0
    print(f"==> Datasette on http://127.0.0.1:{args.port}/ (Ctrl-C stops it)", flush=True)
    run = command(database, metadata, args.port)
    os.execv(run[0], run)


if __name__ == "__main__":
    sys.exit(main())
