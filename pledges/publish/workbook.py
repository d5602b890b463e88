"""The package as one XLSX workbook (xlsxwriter), for spreadsheet users.

A README sheet first: the title, version, licence and citation, then each Table Schema described
once. Then one sheet per table with typed cells from the Table Schemas: numbers as numbers with
thousands separators, dates as dates, booleans as TRUE/FALSE, text always as text (never a
formula, whatever it starts with), long text wrapped; column widths from their content (capped);
the header row and key column frozen, a filter on every column. A text longer than a cell holds
is refused, never cut. A table whose rows are all rows of another with the same Table Schema
has no sheet of its own (the topic tables, jobs, gpus and the others, are rows of pledges: see
within()), and the README sheet says where to find them: a sheet for each would repeat a million
cells at 10,000 sources and add a third to the workbook's time (27 s against 21 s). The
bytes are fixed (creation date from the package), so building it twice gives the same file.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from pledges import files
from pledges.errors import BuildFailed, Problem
from pledges.tables.contract import parse

CELL = 32767  # the most characters an XLSX cell holds
WIDEST = 60  # characters: wider text wraps
WRAP_FROM = 40  # text columns whose cells run longer wrap


def _width(values: list[str], name: str) -> int:
    return min(WIDEST, max([len(name), *(len(v) for v in values[:2000])]) + 2)


def write_workbook(root: Path, out, read=None, citation: str = "") -> None:
    """Write the package under `root` to `out` (a file-like object, or a path); `read(relative) ->
    bytes` as in database.write_database; `citation`, how to cite this version."""
    read = read or (lambda relative: files.read_bytes(root, relative))
    package = json.loads(read("datapackage.json"))
    created = datetime.fromisoformat(package["created"].replace("Z", "+00:00")).replace(tzinfo=None)
    book = xlsxwriter.Workbook(out if not isinstance(out, Path) else str(out),
                               {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                                "in_memory": True})
    book.set_properties({"title": package["title"], "created": created, "comments": f"version {package['version']}"})
    bold = book.add_format({"bold": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    top = book.add_format({"valign": "top"})
    day = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    whole = book.add_format({"num_format": "#,##0", "valign": "top"})
    fraction = book.add_format({"num_format": "#,##0.0###", "valign": "top"})
    schemas = {r["name"]: json.loads(read(r["schema"])) for r in package["resources"]}
    parsed: dict[str, list[list[str]]] = {}  # tables within() read, kept for their sheets
    placed = within(package, read, parsed)
    readme_sheet(book, package, schemas, citation, bold, wrap, placed)
    for resource in package["resources"]:
        if resource["name"] in placed:
            continue
        fields = schemas[resource["name"]]["fields"]
        sheet = book.add_worksheet(resource["name"][:31])
        rows = parsed.pop(resource["name"], None) or parse(read(resource["path"]))
        names, body = rows[0], rows[1:]
        for column, (name, field) in enumerate(zip(names, fields)):
            sheet.write_string(0, column, name, bold)
            values = [row[column] for row in body]
            width = _width(values, name)
            long_text = field["type"] == "string" and width >= WRAP_FROM
            sheet.set_column(column, column, width, wrap if long_text else top)
        writers = [_writer(sheet, field["type"], resource["path"], name, (whole, fraction, day))
                   for name, field in zip(names, fields)]
        for number, row in enumerate(body, start=1):
            for column, (write, cell) in enumerate(zip(writers, row)):
                if cell != "":
                    write(number, column, cell)
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, max(len(body), 1), len(names) - 1)
    book.close()


def _writer(sheet, kind: str, path: str, name: str, formats: tuple):
    """How a column's cells are written: (row, column, text) -> None, chosen once per column."""
    whole, fraction, day = formats
    if kind in ("integer", "number"):
        def number(row: int, column: int, cell: str) -> None:
            value = float(cell)
            sheet.write_number(row, column, value, whole if value.is_integer() else fraction)
        return number
    if kind == "date":
        def when(row: int, column: int, cell: str) -> None:
            sheet.write_datetime(row, column, datetime.combine(date.fromisoformat(cell), datetime.min.time()), day)
        return when
    if kind == "boolean":
        return lambda row, column, cell: sheet.write_boolean(row, column, cell == "true")

    def text(row: int, column: int, cell: str) -> None:
        if len(cell) > CELL:
            raise BuildFailed([Problem(path, f"row {row}, column {name}", "a text longer than a workbook cell holds",
                                       f"at most {CELL} characters", f"{len(cell)} characters",
                                       "shorten the quote or note in its annotation; the workbook never cuts a text")])
        sheet.write_string(row, column, cell)
    return text


def within(package: dict, read, parsed: dict[str, list[list[str]]]) -> dict[str, tuple[str, str]]:
    """The tables that have no sheet of their own, each with the sheet that holds its rows and where
    they are in it. Of the tables that share a Table Schema, the one named after it (else the
    first) has a sheet; another has none when every one of its rows is one of that sheet's, as
    its cells show, never as the build's rules would have it. The tables read that have a sheet
    are left in `parsed`, by name, so that none is read twice."""
    hosts: dict[str, dict] = {}
    for resource in package["resources"]:
        named = Path(resource["schema"]).stem == resource["name"]
        if resource["schema"] not in hosts or named:
            hosts[resource["schema"]] = resource
    found: dict[str, tuple[str, str]] = {}
    held: dict[str, tuple[list[str], set[tuple[str, ...]]]] = {}
    for resource in package["resources"]:
        host = hosts[resource["schema"]]
        if host is resource:
            continue
        if host["name"] not in held:
            parsed[host["name"]] = rows = parse(read(host["path"]))
            held[host["name"]] = (rows[0] if rows else [], {tuple(row) for row in rows[1:]})
        header, host_rows = held[host["name"]]
        rows = parse(read(resource["path"]))
        if not rows or rows[0] != header or not {tuple(row) for row in rows[1:]} <= host_rows:
            parsed[resource["name"]] = rows
            continue  # a sheet of its own
        found[resource["name"]] = (host["name"], _where(header, rows[1:], host_rows, host["name"]))
    return found


def _where(header: list[str], rows: list[list[str]], host_rows: set[tuple[str, ...]], sheet: str) -> str:
    """Where a table's rows are in `sheet`: those whose kind and metric are its rows' (when that
    picks exactly its rows), else by their first column."""
    if not rows:
        return f"it has no rows in this version (its rows would be rows of sheet {sheet})"
    columns = [header.index(c) for c in ("kind", "metric") if c in header]
    values = [{row[i] for row in rows} for i in columns]
    picked = {row for row in host_rows if all(row[i] in v for i, v in zip(columns, values))}
    these = "its row is the row" if len(rows) == 1 else f"its {len(rows):,} rows are the rows"
    if columns and picked == {tuple(row) for row in rows}:
        found = [f"{header[i]} is {' or '.join(sorted(v))}" for i, v in zip(columns, values)]
        return f"{these} of sheet {sheet} whose {' and whose '.join(found)}"
    return f"{these} of sheet {sheet} with the same {header[0]}"


def readme_sheet(book, package: dict, schemas: dict[str, dict], citation: str, bold, wrap,
                 placed: dict[str, tuple[str, str]]) -> None:
    """The README sheet: what the workbook is, how to cite it, and each schema described once."""
    sheet = book.add_worksheet("README")
    sheet.set_column(0, 0, 28, bold)
    sheet.set_column(1, 1, 100, wrap)
    licence = package["licenses"][0]
    lines = [("Title", package["title"]), ("Version", f"{package['version']} ({package['created'][:10]})"),
             ("What it is", package["description"]),
             ("Licence", f"{licence['name']} ({licence['path']}): {licence['title']}"),
             ("How to cite", citation or f"{package['title']}, version {package['version']}."), ("", "")]
    users: dict[str, list[str]] = {}
    schema_of = {r["name"]: r["schema"].removeprefix("schemas/").removesuffix(".json") for r in package["resources"]}
    for resource in package["resources"]:
        users.setdefault(schema_of[resource["name"]], []).append(resource["name"])
    for resource in package["resources"]:
        name = resource["name"]
        if name not in placed:
            lines.append((f"Sheet {name}", f"{resource['title']}. {resource['description']}"))
        else:
            lines.append((f"Table {name}", f"{resource['title']}. {resource['description']} Not a sheet of its own: "
                          f"{placed[name][1]}, with the same columns; the package holds it as {resource['path']}."))
    lines.append(("", ""))
    described: set[str] = set()
    for resource in package["resources"]:
        schema = schema_of[resource["name"]]
        if schema in described:
            continue
        described.add(schema)
        lines.append((f"Columns of {', '.join(users[schema])}", f"(Table Schema schemas/{schema}.json)"))
        for field in schemas[resource["name"]]["fields"]:
            lines.append((f"  {field['name']}", f"{field['type']}: {field['description']}"))
    for number, (name, text) in enumerate(lines):
        sheet.write_string(number, 0, name)
        sheet.write_string(number, 1, text)
