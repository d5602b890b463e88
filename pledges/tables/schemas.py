"""The Table Schemas in schemas/: the published contract of every table, loaded and checked.

A schema is read through the safe file layer and refused, naming the file and the field or key,
when it is not the shape a Table Schema has (a field without a name or type, a key naming no
field, a constraint of the wrong type), when its text holds a control or format character, when a
pattern does not compile or could take exponential time, and when it uses a key, type or
constraint that the build's own check (pledges.tables.contract) does not implement: a rule the
build cannot check must not be published as if it held. The vocabularies their enums carry come
from one registry (pledges.vocabulary).
"""

from __future__ import annotations

import json
import re
import re._parser as sre  # Python's own parse of a pattern (and its codes), walked for nested repetition
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from pledges import ROOT, files, vocabulary
from pledges.errors import BuildFailed, Problem
from pledges.inputs.metadata import NAME
from pledges.inputs.yamlfile import describe_character, unprintable
from pledges.tables.contract import CONSTRAINTS, FIELD_KEYS, FORMATS, SCHEMA_KEYS, TYPES

SCHEMAS_DIR = ROOT / "schemas"
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
NUMERIC = ("number", "integer")  # the types minimum and maximum apply to


def _subpatterns(value) -> Iterator[sre.SubPattern]:
    """The parts of a parsed pattern's node that are patterns themselves (a group's, a branch's)."""
    if isinstance(value, sre.SubPattern):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _subpatterns(item)


def _varies(pattern: sre.SubPattern) -> bool:
    """Whether `pattern` holds, at any depth, a repetition of varying count: one with no upper
    bound (+, *, {n,}), and one bounded but not fixed ({1,5}, ?), since (a{1,5})* splits a run of
    a's as many ways as (a+)* does."""
    stack = [pattern]
    while stack:
        for op, av in stack.pop():
            if op in REPEATS and av[0] != av[1]:
                return True
            stack.extend(_subpatterns(av))
    return False


def _may_match(op, av, char: int) -> bool | None:
    """Whether the one-character item (op, av) may match `char` in either case; None when the item is
    not one character (a group, a repetition). Unsure (a class such as \\w) counts as may."""
    def matches(code: int) -> bool | None:
        if op is sre.LITERAL:
            return av == code
        if op is sre.NOT_LITERAL:
            return av != code
        if op is sre.ANY:
            return True
        if op is sre.IN:
            if any(kind not in (sre.LITERAL, sre.RANGE, sre.NEGATE) for kind, _ in av):
                return True
            member = any(value == code if kind is sre.LITERAL else value[0] <= code <= value[1]
                         for kind, value in av if kind is not sre.NEGATE)
            return member != any(kind is sre.NEGATE for kind, _ in av)
        return None

    found = [matches(code) for code in {char, ord(chr(char).lower()[0]), ord(chr(char).upper()[0])}]
    return None if None in found else any(found)


def _delimited(body: sre.SubPattern) -> bool:
    """Whether each repetition of `body` starts with a character found nowhere else in it, the rest
    being single characters (each a letter or class, maybe repeated) with at most one of varying
    count, as the package's own (-[a-z0-9]+)* is: the text then splits into repetitions, and each
    repetition into its parts, one way only, and backtracking stays polynomial."""
    items = list(body)
    while len(items) == 1 and items[0][0] is sre.SUBPATTERN:
        items = list(items[0][1][-1])
    if not items or items[0][0] is not sre.LITERAL:
        return False
    delimiter, varying = items[0][1], 0
    for op, av in items[1:]:
        if op in REPEATS:
            low, high, inner = av
            if len(inner) != 1:
                return False
            varying += low != high
            op, av = inner[0]
        if _may_match(op, av, delimiter) is not False:
            return False
    return varying <= 1


def _open_choice(pattern: sre.SubPattern) -> bool:
    """Whether `pattern` holds, at any depth, a choice (a|b) that a character does not settle: an
    alternative that may be empty, or one that does not start with a literal character of its own,
    in either case since (?i) may be on ((a|a), (a|ab), (a|), (ab|AB)): repeated, such a choice can
    match a text in exponentially many ways."""
    stack = [pattern]
    while stack:
        for op, av in stack.pop():
            if op is sre.BRANCH:
                firsts = [list(branch)[0] if len(branch) else None for branch in av[1]]
                if any(first is None or first[0] is not sre.LITERAL for first in firsts) \
                        or len({chr(first[1]).casefold() for first in firsts if first}) != len(firsts):
                    return True
            stack.extend(_subpatterns(av))
    return False


def _run(op, av) -> tuple | None:
    """The one-character item (op, av) a repetition of varying count repeats (in a group or not),
    or None."""
    while op is sre.SUBPATTERN and len(av[-1]) == 1:
        op, av = list(av[-1])[0]
    if op in REPEATS and av[0] != av[1] and len(av[2]) == 1:
        inner = list(av[2])[0]
        if _may_match(inner[0], inner[1], 0) is not None:
            return inner
    return None


def _runs_in_a_row(pattern: sre.SubPattern) -> bool:
    """Whether `pattern` holds, at any depth, two repetitions of varying count in a row that may
    take the same character (a*a*, x*.*, \\d+\\d+): a text splits between them in as many ways
    as it is long, and k of them in a row take time as the k-th power of a cell's length."""
    stack = [pattern]
    while stack:
        items = list(stack.pop())
        for (op, av), (next_op, next_av) in zip(items, items[1:]):
            first, second = _run(op, av), _run(next_op, next_av)
            if first and second:
                if first[0] is sre.LITERAL:
                    overlap = _may_match(second[0], second[1], first[1])
                elif second[0] is sre.LITERAL:
                    overlap = _may_match(first[0], first[1], second[1])
                else:
                    overlap = True  # two classes: taken to overlap
                if overlap is not False:
                    return True
        for _, av in items:
            stack.extend(_subpatterns(av))
    return False


def pattern_problem(pattern) -> str:
    """What makes `pattern` unfit for a schema, or "": not text, not a regular expression, or a
    repeated group whose body holds a repetition of varying count ((a+)+, (.*)*, (x|y+)*, (a{1,5})*)
    unless _delimited, or a choice a character does not settle ((a|a)*, (a|ab)*): nested
    repetition or ambiguous choice, whose backtracking can take exponential time on a cell that
    almost matches; or repetitions in a row that may take the same characters (a*a*, x*.*), whose
    backtracking grows as a power of the cell's length. Conservative: two character classes in a
    row are taken to overlap; a repetition with another between them (a*.a*) is not looked for."""
    if not isinstance(pattern, str):
        return f"pattern is not text: {pattern!r:.40}"
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as error:
        return f"pattern {pattern[:60]!r} is not a regular expression: {error}"
    if _runs_in_a_row(sre.parse(pattern)):
        return (f"pattern {pattern[:60]!r} has two repetitions in a row that may take the same characters (as "
                "a*a* does), which can take time as a power of a cell's length on a cell that almost matches")
    stack = [sre.parse(pattern)]
    while stack:
        for op, av in stack.pop():
            if op in REPEATS and av[1] > 1 and _varies(av[2]) and not _delimited(av[2]):
                return (f"pattern {pattern[:60]!r} repeats a group that holds a repetition (as (a+)+ and (.*)* "
                        "do), which can take exponential time on a cell that almost matches")
            if op in REPEATS and av[1] > 1 and _open_choice(av[2]):
                return (f"pattern {pattern[:60]!r} repeats a choice whose alternatives may be empty or start "
                        "alike (as (a|a)* and (a|ab)* do), which can take exponential time on a cell that almost "
                        "matches")
            stack.extend(_subpatterns(av))
    return ""


def _texts(value, path: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every key and string in a JSON value, without recursion."""
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield path, key
                stack.append((item, f"{path}.{key}"))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{at}]") for at, item in enumerate(value))


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _constraint_problem(key: str, value, kind) -> str:
    """What is wrong with one constraint's value, or "" (a constraint the build does not know is
    unsupported()'s)."""
    if key in ("required", "unique") and not isinstance(value, bool):
        return f"{key} is not true or false"
    if key == "enum" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return "enum is not a list of strings"
    if key == "pattern":
        return pattern_problem(value)
    if key in ("minLength", "maxLength") and not (isinstance(value, int) and not isinstance(value, bool)
                                                  and value >= 0):
        return f"{key} is not a whole number of characters"
    if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if kind not in NUMERIC:
            return f"{key} applies to number and integer fields only"
        if not _is_number(value):
            return f"{key} is not a number"
    return ""


def _string_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def malformed(schema: dict) -> list[tuple[str, str]]:
    """(where, what) for every part of `schema` that is not as a Table Schema has it, and every
    control or format character in its text; empty when it is sound."""
    found = [(where, f"holds a control or format character, {describe_character(bad)}")
             for where, text in _texts({k: v for k, v in schema.items() if k != "fields"}, "schema")
             if (bad := unprintable(text))]
    names: list[str] = []
    for at, field in enumerate(schema["fields"], start=1):
        name = field.get("name") if isinstance(field, dict) else None
        if not isinstance(name, str) or not name:
            found.append((f"field {at}", "has no name (an object with a name and a type is expected)"))
            continue
        where = f"field {name!r:.60}"
        found += [(where + (path.removeprefix("field") and f" ({path.removeprefix('field.')})"),
                   f"holds a control or format character, {describe_character(bad)}")
                  for path, text in _texts(field, "field") if (bad := unprintable(text))]
        if name in names:
            found.append((where, "is a second field of that name"))
        names.append(name)
        if not isinstance(field.get("type"), str):
            found.append((where, "has no type"))
        rules = field.get("constraints", {})
        if not isinstance(rules, dict):
            found.append((where, "constraints is not an object"))
            continue
        found += [(where, what) for key, value in rules.items()
                  if (what := _constraint_problem(key, value, field.get("type")))]
    if "primaryKey" in schema and not _string_list(schema["primaryKey"]):
        found.append(("primaryKey", "is not a list of field names"))
    elif "primaryKey" in schema:
        found += [("primaryKey", f"{key!r:.60} is not a field") for key in schema["primaryKey"] if key not in names]
    keys = schema.get("foreignKeys", [])
    for at, key in enumerate(keys if isinstance(keys, list) else [None], start=1):
        reference = key.get("reference") if isinstance(key, dict) else None
        if not (isinstance(key, dict) and _string_list(key.get("fields")) and isinstance(reference, dict)
                and isinstance(reference.get("resource"), str) and _string_list(reference.get("fields"))):
            found.append((f"foreignKeys {at}", "is not an object with fields and a reference (resource, fields)"))
            continue
        found += [(f"foreignKeys {at}", f"{name!r:.60} is not a field") for name in key["fields"] if name not in names]
    return found


def unsupported(schema: dict) -> list[tuple[str, str]]:
    """(where, what) for every key, type, format or constraint of `schema` the build does not check."""
    found = [("schema", f"key {key!r}") for key in schema if key not in SCHEMA_KEYS]
    for field in schema.get("fields", []):
        name = field.get("name", "?")
        found += [(f"field {name}", f"key {key!r}") for key in field if key not in FIELD_KEYS]
        if field.get("type") not in TYPES:
            found.append((f"field {name}", f"type {field.get('type')!r}"))
        if "format" in field and field["format"] not in FORMATS:
            found.append((f"field {name}", f"format {field['format']!r}"))
        found += [(f"field {name}", f"constraint {key!r}") for key in field.get("constraints", {})
                  if key not in CONSTRAINTS]
    for key in schema.get("foreignKeys", []):
        if len(key.get("fields", [])) != 1 or set(key) - {"fields", "reference"}:
            found.append(("foreignKeys", f"a key of {len(key.get('fields', []))} fields"))
    if len(schema.get("primaryKey", [])) < 1:
        found.append(("primaryKey", "missing"))
    return found


def load_schema(root: Path, name: str) -> dict:
    """schemas/<name>.json, refused when it asks for a rule the build does not check."""
    where = f"schemas/{name}.json"
    if not NAME.fullmatch(name):
        raise BuildFailed([Problem("package.yaml", f"schema {name[:40]!r}", "not a plain schema name",
                                   "lower-case letters, digits, _ and -")])
    try:
        schema = json.loads(files.read_text(root, where))
    except FileNotFoundError:
        raise BuildFailed([Problem(where, "", "schema does not exist", "a Table Schema for the resource")]) from None
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise BuildFailed([Problem(where, "", "not valid JSON", "a Table Schema", str(error)[:120])]) from None
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise BuildFailed([Problem(where, "", "not a Table Schema", "an object with a list of fields")])
    problems = [Problem(where, part, what, hint="a Table Schema as the others in schemas/ are")
                for part, what in malformed(schema)]
    if problems:
        raise BuildFailed(problems)
    problems = [Problem(where, part, f"{what} is not one the build checks",
                        f"types {', '.join(sorted(TYPES))}; constraints {', '.join(sorted(CONSTRAINTS))}",
                        hint="remove it, or implement it in pledges/tables/contract.py (and its tests) first")
                for part, what in unsupported(schema)]
    if problems:
        raise BuildFailed(problems)
    return schema


def schemas_of(root: Path, meta: dict) -> dict[str, dict]:
    """Each resource's Table Schema, by resource name, in the order of package.yaml (`meta`)."""
    schemas = {spec["name"]: load_schema(root, spec["schema"]) for spec in meta["resources"]}
    problems = []
    for spec in meta["resources"]:
        for at, key in enumerate(schemas[spec["name"]].get("foreignKeys", []), start=1):
            target, names = key["reference"]["resource"], key["reference"]["fields"]
            fields_there = [f["name"] for f in schemas[target]["fields"]] if target in schemas else []
            if target not in schemas or any(name not in fields_there for name in names):
                problems.append(Problem(f"schemas/{spec['schema']}.json", f"foreignKeys {at}",
                                        "its reference names no field of a resource of the package",
                                        "a resource of package.yaml and a field of its schema",
                                        f"{target[:40]!r}, {', '.join(n[:40] for n in names)}"))
    if problems:
        raise BuildFailed(problems)
    return schemas


def fields(table: str) -> tuple[dict, ...]:
    """The fields of schemas/<table>.json of the package being worked on (vocabulary.use), for the
    validation engines."""
    return _fields(vocabulary.package_root(), table)


@cache
def _fields(root: Path, table: str) -> tuple[dict, ...]:
    return tuple(load_schema(root, table)["fields"])


def field(table: str, name: str) -> dict:
    return next(f for f in fields(table) if f["name"] == name)


def enum(table: str, name: str) -> list[str]:
    return list(field(table, name)["constraints"]["enum"])


def currencies() -> tuple[str, ...]:
    """ISO 4217 codes money may be in (the registry's)."""
    return vocabulary.current().currencies
