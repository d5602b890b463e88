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

from pledges import ROOT, errors, files
from pledges.inputs.metadata import read_datapackage
from pledges.publish.database import datasette_metadata, write_database
from pledges.publish.release import scratch


def prepare(root: Path) -> tuple[Path, Path]:
    """dist/<name>.sqlite and dist/datasette-metadata.json, written through the safe file layer."""
    name = read_datapackage(root)["name"]
    with scratch(root) as tmp:
        write_database(root, tmp / "serve.sqlite")
        files.write_bytes(root, f"dist/{name}.sqlite", files.read_bytes(tmp, "serve.sqlite", files.BUILT_BYTES))
    files.write_text(root, "dist/datasette-metadata.json",
                     json.dumps(datasette_metadata(root, name), indent=2, ensure_ascii=False) + "\n")
    return root / "dist" / f"{name}.sqlite", root / "dist" / "datasette-metadata.json"


# The package's page frame, style and script for Datasette's pages (a language, one main
# landmark, labelled controls, readable contrast), served as /assets/.
ASSETS = Path(__file__).resolve().parent / "datasette"


def command(database: Path, metadata: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "datasette", "serve", str(database), "--metadata", str(metadata),
            "--template-dir", str(ASSETS), "--static", f"assets:{ASSETS}",
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
