"""The package's own metadata: package.yaml (what the build writes into datapackage.json) and the
built datapackage.json, each read in this one place, through the safe file layer.

Both are committed files, so a commit can put anything in them. Every name that becomes part of
a path (the package's, each resource's, each schema's) must be a plain name (NAME: lower-case
letters, digits, "_" and "-"), so that no metadata can make a command read or write outside the
package; and every path datapackage.json records must be the one its resource's name gives
(data/<name>.csv, schemas/<schema>.json). Problems name the file and line.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from pledges import files
from pledges.errors import BuildFailed, Problem
from pledges.inputs.yamlfile import Line, Map, Seq, Str, YamlError
from pledges.inputs.yamlfile import read as read_yaml

PACKAGE_FILE = "package.yaml"
DATAPACKAGE = "datapackage.json"
NAME = re.compile(r"[a-z][a-z0-9_-]{0,62}")
VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
# Every value is one line of text (written so into datapackage.json, CITATION.cff and the pages),
# but the package's description, a paragraph.
SCHEMA = Map({"name": Line, "title": Line, "description": Str, "version": Line, "date": Line, "keywords": Line,
              "licenses": Seq(Map({"name": Line, "path": Line, "title": Line})),
              "contributors": Seq(Map({"title": Line, "roles": Line})),
              "sources": Seq(Map({"title": Line})),
              "resources": Seq(Map({"name": Line, "schema": Line, "title": Line, "description": Line}))},
             {"homepage": Line})


def package_metadata(root: Path) -> dict:
    """package.yaml, checked; raises BuildFailed naming the file and line of each problem."""
    problems: list[Problem] = []
    try:
        doc = read_yaml(root, PACKAGE_FILE, SCHEMA)
    except YamlError as error:
        raise BuildFailed([Problem(f"{PACKAGE_FILE}:{error.line}", "", error.message, hint=error.hint)]) from None
    meta = doc.data

    def problem(line: int, what: str, expected: str, found: str) -> None:
        problems.append(Problem(f"{PACKAGE_FILE}:{line}", "", what, expected, repr(found[:80])))

    if not NAME.fullmatch(meta["name"]):
        problem(doc.key_line("name"), "name is not a plain name", "lower-case letters, digits, _ and -", meta["name"])
    if not VERSION.fullmatch(meta["version"]):
        problem(doc.key_line("version"), "version is not MAJOR.MINOR.PATCH", "a version such as 3.0.0",
                meta["version"])
    try:
        date.fromisoformat(meta["date"])
    except ValueError:
        problem(doc.key_line("date"), "date is not the version's date", "an ISO date YYYY-MM-DD", meta["date"])
    if meta.get("homepage") and not URL.fullmatch(meta["homepage"]):
        problem(doc.key_line("homepage"), "homepage is not a web address", "an http:// or https:// address",
                meta["homepage"])
    for licence, node in zip(meta["licenses"], doc["licenses"]):
        if not URL.fullmatch(licence["path"]):
            problem(node.key_line("path"), "a licence's path is not a web address", "an https:// address",
                    licence["path"])
    seen: set[str] = set()
    for spec, node in zip(meta["resources"], doc["resources"]):
        for key in ("name", "schema"):
            if not NAME.fullmatch(spec[key]):
                problem(node.key_line(key), f"resource {key} is not a plain name",
                        "lower-case letters, digits, _ and - (it names a file: data/<name>.csv, schemas/<schema>.json)",
                        spec[key])
        if spec["name"] in seen:
            problem(node.key_line("name"), "resource listed twice", "each resource once", spec["name"])
        seen.add(spec["name"])
    if problems:
        raise BuildFailed(problems)
    return meta


def version_date(meta: dict) -> date:
    """The date of the package's version: the date its statuses are as of, and its citations'."""
    return date.fromisoformat(meta["date"])


def read_datapackage(root: Path) -> dict:
    """The built datapackage.json, with every resource's path and schema checked to be the ones its
    names give: a datapackage.json that points outside the package is refused, never followed."""
    try:
        package = json.loads(files.read_text(root, DATAPACKAGE))
    except FileNotFoundError:
        raise BuildFailed([Problem(DATAPACKAGE, "", "datapackage.json does not exist", "a built package",
                                   hint="run make build first")]) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BuildFailed([Problem(DATAPACKAGE, "", "not valid JSON", "the file make build writes",
                                   str(error)[:120], "run make build")]) from None
    problems = []
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(package, dict) or not isinstance(package.get("name"), str) \
            or not NAME.fullmatch(package["name"]) or not isinstance(resources, list):
        raise BuildFailed([Problem(DATAPACKAGE, "", "not a data package this build writes",
                                   "a name (lower-case letters, digits, _ and -) and a list of resources",
                                   hint="run make build")])
    for index, resource in enumerate(resources):
        name = resource.get("name", "") if isinstance(resource, dict) else ""
        schema = resource.get("schema", "") if isinstance(resource, dict) else ""
        wanted = (f"data/{name}.csv", schema)
        schema_name = schema.removeprefix("schemas/").removesuffix(".json") if isinstance(schema, str) else ""
        if not (isinstance(name, str) and NAME.fullmatch(name) and NAME.fullmatch(schema_name)
                and schema == f"schemas/{schema_name}.json" and resource.get("path") == wanted[0]):
            problems.append(Problem(DATAPACKAGE, f"resource {index + 1}", "a path or schema outside the package's "
                                    "layout", "path data/<name>.csv and schema schemas/<name>.json",
                                    f"path {str(resource.get('path'))[:80]!r}, schema {str(schema)[:80]!r}"
                                    if isinstance(resource, dict) else repr(resource)[:80],
                                    "run make build; the build writes only these paths"))
    if problems:
        raise BuildFailed(problems)
    return package
