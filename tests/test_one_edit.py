"""Adding a metric that fits an existing topic table is one edit: a metric added to
schemas/vocabulary.yaml in a copy of the package, and nothing else, lets an article that states it
build, and the built package keeps every rule of its Table Schemas and pandera models.

The article is written for this test about an invented company (no text is taken from anywhere).
It builds and validates the copy as the commands do (each makes the copy's registry and schemas the
ones in use: pledges.vocabulary.use).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from conftest import FACTS, copy_parts
from frictionless import validate as frictionless_validate

from pledges import pipeline, vocabulary
from pledges.validate.pandera_models import validate

pytestmark = pytest.mark.slow  # builds a copy of the package (make quick leaves it out)

ARTICLE = "LYON, 3 March 2025 - Contoso Systems will take on 400 apprentices in France, the company said on Monday.\n"
METRIC = """metrics:
  apprentices:
    unit: people
    table: training
    most: "1000000"
    means: apprentices a company pledges to take on
"""
FACT = """
  - id: ct-fr-apprentices
    label: Contoso Systems apprentices in France
    subject: Contoso Systems
    metric: apprentices
    scope: related
    unit: people
    country: FR
    announced: 2025-03-03
    announced_date_basis: stated
    announced_evidence: "the article's dateline, 3 March 2025"
"""
def test_a_metric_added_to_the_vocabulary_alone_builds_validates_and_lands_in_its_topic_table(tmp_path):
    root = copy_parts(tmp_path, ("annotations", "seeds", "schemas", "package.yaml"))
    registry = root / "schemas" / "vocabulary.yaml"
    text = registry.read_text(encoding="utf-8")
    assert text.count("\nmetrics:\n") == 1
    registry.write_text(text.replace("\nmetrics:\n", "\n" + METRIC, 1), encoding="utf-8")  # the one edit

    raw = ARTICLE.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    seed = f"901_{digest[:16]}.txt"
    (root / "seeds" / seed).write_bytes(raw)
    (root / FACTS).write_text((root / FACTS).read_text(encoding="utf-8") + FACT, encoding="utf-8")
    quote = "Contoso Systems will take on 400 apprentices"
    annotation = [f"seed: {seed}", f"sha256: {digest}", "publisher: Test wire (written for the test suite)",
                  "title: Contoso apprentices", "language: en", "published: 2025-03-03", "date_basis: stated",
                  "date_evidence: 3 March 2025", 'author: ""', 'url: ""', "claims:",
                  "  - id: c01", "    fact: ct-fr-apprentices", f'    quote: "{quote}"',
                  "    subject: Contoso Systems", "    metric: apprentices", "    value: 400", "    unit: people",
                  "    qualifier: unhedged", "    attribution: company"]
    (root / "annotations" / "sources" / f"{seed[:-4]}.yaml").write_text("\n".join(annotation) + "\n",
                                                                        encoding="utf-8")

    # what make build runs
    assert vocabulary.main(["--root", str(root)]) == 0
    assert pipeline.main(["--root", str(root)]) == 0
    schema = json.loads((root / "schemas" / "claims.json").read_text(encoding="utf-8"))
    assert "apprentices" in next(f for f in schema["fields"] if f["name"] == "metric")["constraints"]["enum"]
    rows = list(csv.DictReader(io.StringIO((root / "data" / "training.csv").read_text(encoding="utf-8"))))
    pledge = next(row for row in rows if row["fact_id"] == "ct-fr-apprentices")
    assert (pledge["metric"], pledge["value"], pledge["unit"]) == ("apprentices", "400", "people")

    # the package keeps every rule of its schemas (frictionless) and of the pandera models made from them
    vocabulary.use(root)
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"]: validate(r["name"], (root / r["path"]).read_bytes()) for r in package["resources"]} == {
        r["name"]: [] for r in package["resources"]}
    report = frictionless_validate(str(root / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])
