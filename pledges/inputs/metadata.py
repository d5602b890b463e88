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
from pledges.tables.datapackage import PACKAGE_KEYS, PROFILE, RESOURCE_CONSTANTS, RESOURCE_KEYS

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
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise BuildFailed([Problem(DATAPACKAGE, "", "not valid JSON (or nested too deep)", "the file make build writes",
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
    problems += _shape(package)
    if problems:
        raise BuildFailed(problems)
    return package


def web_address(url: object) -> bool:
    """An address a page or a viewer may link to: http or https only (never javascript:, data: or file:)."""
    return isinstance(url, str) and URL.fullmatch(url) is not None


def _shape(package: dict) -> list[Problem]:
    """What else datapackage.json must be to be the one the build writes: its keys and no other
    (an engine would follow any path or address another key gives), its constants, a version and
    a date, at least one resource, and licences that link to web addresses only."""
    def problem(where: str, what: str, found: object) -> Problem:
        return Problem(DATAPACKAGE, where, what, "what make build writes", repr(found)[:80], "run make build")

    problems = [problem(f"key {k!r}", "a key the build does not write", package[k])
                for k in sorted(set(package) - PACKAGE_KEYS)]
    for key in ("title", "version", "created", "licenses"):
        if key not in package:
            problems.append(problem(f"key {key!r}", "a key the build writes is missing", None))
    if package.get("$schema") != PROFILE:
        problems.append(problem("key '$schema'", "not the Data Package v2 profile", package.get("$schema")))
    if "version" in package and not (isinstance(package["version"], str) and VERSION.fullmatch(package["version"])):
        problems.append(problem("key 'version'", "not a version MAJOR.MINOR.PATCH", package["version"]))
    if "created" in package and not (isinstance(package["created"], str)
                                     and re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", package["created"])):
        problems.append(problem("key 'created'", "not a day as the build writes it", package["created"]))
    licences = package.get("licenses", [])
    if not isinstance(licences, list) or not all(isinstance(x, dict) and web_address(x.get("path")) for x in licences):
        problems.append(problem("key 'licenses'", "licences with a web address (http or https) each", licences))
    if "homepage" in package and not web_address(package["homepage"]):
        problems.append(problem("key 'homepage'", "a web address (http or https)", package["homepage"]))
    if not package["resources"]:
        problems.append(problem("key 'resources'", "no resource: a package has tables", []))
    for index, resource in enumerate(package["resources"]):
        if not isinstance(resource, dict):
            continue
        where = f"resource {index + 1}"
        problems += [problem(where, f"key {k!r}, which the build does not write", resource[k])
                     for k in sorted(set(resource) - RESOURCE_KEYS)]
        problems += [problem(where, f"{k} is not {v!r}", resource.get(k))
                     for k, v in RESOURCE_CONSTANTS.items() if resource.get(k) != v]
        if not isinstance(resource.get("bytes"), int) or not re.fullmatch(r"sha256:[0-9a-f]{64}",
                                                                           str(resource.get("hash"))):
            problems.append(problem(where, "bytes and a sha256 hash", (resource.get("bytes"), resource.get("hash"))))
    return problems
