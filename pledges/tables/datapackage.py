"""Write datapackage.json: package.yaml's metadata and each table's bytes, hash and schema."""

from __future__ import annotations

import hashlib
import json

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
# What every resource of the package says of its file, the same for all.
RESOURCE_CONSTANTS = {"type": "table", "scheme": "file", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
# The keys the build writes: datapackage.json holds these and no other (pledges.inputs.metadata).
RESOURCE_KEYS = frozenset({"name", "title", "description", "path", "bytes", "hash", "schema", *RESOURCE_CONSTANTS})
PACKAGE_KEYS = frozenset({"$schema", "name", "title", "description", "version", "created", "keywords", "licenses",
                          "contributors", "sources", "resources", "homepage"})


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
            "path": path, **{k: v for k, v in RESOURCE_CONSTANTS.items() if k != "type"},
            "bytes": len(files[path]), "hash": "sha256:" + hashlib.sha256(files[path]).hexdigest(),
            "schema": f"schemas/{spec['schema']}.json",
        })
    package = {
        "$schema": PROFILE,
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
