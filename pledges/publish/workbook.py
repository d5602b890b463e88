"""The package as one XLSX workbook (xlsxwriter), for spreadsheet users.

A README sheet (title, version, licence, citation, what each sheet holds and what each column
means), then one sheet per table with typed cells from the Table Schemas: numbers as numbers,
dates as dates, text always as text (never a formula, whatever it starts with). The bytes are
fixed (creation date from the package), so building it twice gives the same file.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from pledges import files
from pledges.errors import BuildFailed, Problem


CELL = 32767  # the most characters an XLSX cell holds


def write_workbook(root: Path, out, read=None) -> None:
    """Write the package under `root` to `out` (a file-like object, or a path); `read(relative) ->
    bytes` as in database.write_database. A text longer than a cell holds is refused, naming the
    table, row and column, never cut."""
    read = read or (lambda relative: files.read_bytes(root, relative))
    package = json.loads(read("datapackage.json"))
    created = datetime.fromisoformat(package["created"].replace("Z", "+00:00")).replace(tzinfo=None)
    book = xlsxwriter.Workbook(out if not isinstance(out, Path) else str(out),
                               {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                                "in_memory": True})
    book.set_properties({"title": package["title"], "created": created, "comments": f"version {package['version']}"})
    bold, wrap = book.add_format({"bold": True}), book.add_format({"text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    readme = book.add_worksheet("README")
    licence = package["licenses"][0]
    lines = [(package["title"], bold), (package["description"], wrap), (f"Version {package['version']}", None),
             (f"Licence: {licence['name']} ({licence['path']}): {licence['title']}", wrap),
             ("Cite: see CITATION.cff in the release.", None), ("", None)]
    for resource in package["resources"]:
        lines.append((f"Sheet {resource['name']}: {resource['title']}. {resource['description']}", wrap))
        for field in json.loads(read(resource["schema"]))["fields"]:
            lines.append((f"    {field['name']} ({field['type']}): {field['description']}", wrap))
    readme.set_column(0, 0, 120)
    for number, (text, style) in enumerate(lines):
        readme.write_string(number, 0, text, style)
    for resource in package["resources"]:
        fields = json.loads(read(resource["schema"]))["fields"]
        sheet = book.add_worksheet(resource["name"][:31])
        rows = list(csv.reader(io.StringIO(read(resource["path"]).decode("utf-8"))))
        for column, name in enumerate(rows[0]):
            sheet.write_string(0, column, name, bold)
        types = [f["type"] for f in fields]
        for number, row in enumerate(rows[1:], start=1):
            for column, (cell, kind) in enumerate(zip(row, types)):
                if cell == "":
                    continue
                if kind == "integer":
                    sheet.write_number(number, column, int(cell))
                elif kind == "number":
                    sheet.write_number(number, column, float(cell))
                elif kind == "date":
                    sheet.write_datetime(number, column, datetime.combine(date.fromisoformat(cell), datetime.min.time()),
                                         day)
                else:
                    if len(cell) > CELL:
                        raise BuildFailed([Problem(resource["path"], f"row {number}, column {rows[0][column]}",
                                                   "a text longer than a workbook cell holds",
                                                   f"at most {CELL} characters", f"{len(cell)} characters",
                                                   "shorten the quote or note in its annotation; the workbook "
                                                   "never cuts a text")])
                    sheet.write_string(number, column, cell)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows) - 1, 1), len(rows[0]) - 1)
        sheet.set_column(0, len(rows[0]) - 1, 18)
    book.close()
