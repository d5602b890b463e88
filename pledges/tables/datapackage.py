"""Write datapackage.json: package.yaml's metadata and each table's bytes, hash and schema."""

from __future__ import annotations

import hashlib
import json


def render(meta: dict, tables: dict[str, list[str]]) -> dict[str, bytes]:
    """Every output file's bytes, keyed by its path relative to the package root, from each
    table's lines and package.yaml (`meta`)."""
    files: dict[str, bytes] = {}
    resources = []
    for spec in meta["resources"]:
        path = f"data/{spec['name']}.csv"
        files[path] = "".join(tables[spec["name"]]).encode("utf-8")
        resources.append({
            "name": spec["name"], "type": "table", "title": spec["title"], "description": spec["description"],
            "path": path, "scheme": "file", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "bytes": len(files[path]), "hash": "sha256:" + hashlib.sha256(files[path]).hexdigest(),
            "schema": f"schemas/{spec['schema']}.json",
        })
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta["name"], "title": meta["title"], "description": meta["description"],
        "version": meta["version"], "created": f"{meta['date']}T00:00:00Z",
        "keywords": [k.strip() for k in meta["keywords"].split(",")],
        "licenses": meta["licenses"], "contributors": [
            {**c, "roles": [r.strip() for r in c["roles"].split(",")]} for c in meta["contributors"]],
        "sources": meta["sources"], "resources": resources,
    }
    if meta.get("homepage"):
        package["homepage"] = meta["homepage"]
    files["datapackage.json"] = (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files
