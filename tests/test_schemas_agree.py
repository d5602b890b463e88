"""The pandera models and the Table Schemas state the same contract for every column.

Compared: column names and order, types, required (not nullable), unique, enums, patterns,
ranges and minimum lengths. Rules across columns exist only in the pandera models.
"""

import json

import pytest
from conftest import ROOT

from pledges.inputs.metadata import package_metadata
from pledges.validate.pandera_models import models

TYPES = {"string": "str", "number": "float64", "integer": "Int64", "date": "datetime64", "boolean": "boolean"}
CHECKS = {"isin": ("enum", "allowed_values"), "str_matches": ("pattern", "pattern"),
          "greater_than": ("exclusiveMinimum", "min_value"), "greater_than_or_equal_to": ("minimum", "min_value"),
          "less_than_or_equal_to": ("maximum", "max_value"), "str_length": ("minLength", "min_value")}


def schema_rules(field: dict) -> dict:
    rules = dict(field.get("constraints", {}))
    rules["required"] = rules.get("required", False)
    rules["unique"] = rules.get("unique", False)
    rules["type"] = TYPES[field["type"]]
    return rules


def model_rules(column) -> dict:
    rules = {"required": not column.nullable, "unique": column.unique}
    dtype = str(column.dtype)
    rules["type"] = "str" if dtype.startswith("str") else "datetime64" if dtype.startswith("datetime64") else dtype
    for check in column.checks:
        key, statistic = CHECKS[check.name]
        rules[key] = check.statistics[statistic]
    return rules


RESOURCES = [(r["name"], r["schema"]) for r in package_metadata(ROOT)["resources"]]


@pytest.mark.parametrize("name, schema_name", RESOURCES)
def test_pandera_model_and_table_schema_agree(name, schema_name):
    schema = json.loads((ROOT / "schemas" / f"{schema_name}.json").read_text(encoding="utf-8"))
    columns = models(ROOT)[name].columns
    assert list(columns) == [f["name"] for f in schema["fields"]]
    for field in schema["fields"]:
        assert model_rules(columns[field["name"]]) == schema_rules(field), f"{name}.{field['name']}"


def test_every_resource_has_a_model_and_every_model_a_resource():
    assert {name for name, _ in RESOURCES} == set(models(ROOT))
