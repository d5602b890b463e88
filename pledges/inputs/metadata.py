"""The package's own metadata: package.yaml (what the build writes into datapackage.json) and the
built datapackage.json, each read in this one place."""

from __future__ import annotations

from pathlib import Path

from pledges.inputs.yamlfile import load as load_yaml

PACKAGE_FILE = "package.yaml"


def package_metadata(root: Path) -> dict:
    return load_yaml((root / PACKAGE_FILE).read_text(encoding="utf-8"), None).data
