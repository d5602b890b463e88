"""A draft builds once its facts are named: every figure the reader finds in the article is either a
draft claim or a not-claim with its reason, so that the build's coverage check passes.

In a copy of the package, each seed's hand annotation is replaced by its draft, and each
multi-sentence evaluation text is added as a seed of its own and drafted; the TODOs are then filled
as a reviewer would (a fact named for each subject and metric, a metric that fits the unit, a date),
and the copy is built.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from pledges import pipeline
from pledges.suggest.corpus import read_texts
from pledges.suggest.draft import draft
from pledges.suggest.evaluate import SETS
from pledges.suggest.subjects import known_subjects

pytestmark = pytest.mark.data  # depends on the package's data: run again when a source is added

METRIC_BY_UNIT = {"people": "people_trained", "percent": "renewable_energy_share", "MW": "datacentre_capacity",
                  "jobs": "jobs", "employees": "employees", "startups": "startups", "gpus": "gpus"}
BUILT_ON = ("corpus", "holdout2")  # holdout2 joined once it had been measured


def reviewed(yaml: str, facts: dict[tuple[str, str], tuple[str, str]]) -> str:
    """The draft with its TODOs filled as a reviewer would, naming a fact per subject and metric."""
    lines, claim = [], {}
    for line in yaml.splitlines():
        key, _, value = line.strip().removeprefix("- ").partition(": ")
        if line.startswith("  - id:"):
            claim = {}
        if key == "subject" and value.startswith(("TODO", '"TODO')):
            line = line.replace(value, "Unnamed company")
            value = "Unnamed company"
        if key == "unit":
            claim["unit"] = value
            if claim["metric"].strip('"').startswith("TODO"):
                metric = METRIC_BY_UNIT.get(value, "investment")
                lines[claim["metric_line"]] = lines[claim["metric_line"]].replace(claim["metric"], metric)
                claim["metric"] = metric
            fact = facts.setdefault((claim["subject"], claim["metric"]), (f"draft-{len(facts) + 1:03d}", value))[0]
            lines[claim["fact_line"]] = lines[claim["fact_line"]].replace("TODO", fact)
        if key in ("subject", "metric"):
            claim[key] = value
        if key == "metric":
            claim["metric_line"] = len(lines)
        if key == "fact":
            claim["fact_line"] = len(lines)
        if key == "target_date" and "TODO" in value:
            line = line.replace(value, "2030-12-31")
        if key in ("publisher", "title") and value == "TODO":
            line = line.replace("TODO", "Written for the test suite")
        lines.append(line)
    return "\n".join(lines) + "\n"


def facts_yaml(facts: dict[tuple[str, str], tuple[str, str]]) -> str:
    entries = [f"  - id: {fact_id}\n    label: A pledge named for the draft test\n    subject: {subject}\n"
               f"    metric: {metric}\n    scope: related\n    unit: {unit}\n    announced: 2024-05-13\n"
               f"    announced_date_basis: stated\n    announced_evidence: a date for the test\n"
               for (subject, metric), (fact_id, unit) in facts.items()]
    return "\n".join(entries)


def test_every_draft_passes_the_coverage_check_once_its_facts_are_named(tmp_path, capsys):
    root = tmp_path / "package"
    for name in ("annotations", "seeds", "schemas"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "package.yaml", root / "package.yaml")
    known = known_subjects(ROOT)
    seeds = sorted((root / "seeds").glob("[0-9]*.txt"))
    number = 1 + max(int(p.name.split("_")[0]) for p in seeds)
    texts = [t for name in BUILT_ON for t in read_texts(ROOT, SETS[name]) if t.multi_sentence]
    assert texts
    for text in texts:
        raw = text.text.encode("utf-8")
        seed = root / "seeds" / f"{number:03d}_{hashlib.sha256(raw).hexdigest()[:16]}.txt"
        seed.write_bytes(raw)
        number += 1
        seeds.append(seed)
    facts: dict[tuple[str, str], tuple[str, str]] = {}
    for seed in seeds:
        annotation = reviewed(draft(seed, known=known), facts)
        (root / "annotations" / "sources" / f"{seed.stem}.yaml").write_text(annotation, encoding="utf-8")
    (root / "annotations" / "facts.yaml").write_text("facts:\n" + facts_yaml(facts), encoding="utf-8")
    (root / "annotations" / "corrections.yaml").unlink(missing_ok=True)  # they correct facts this copy replaces
    status = pipeline.main(["--root", str(root)])
    out, err = capsys.readouterr()
    assert not re.search(r"not_claims|coverage|figure is in no claim", err), err[-4000:]
    assert status == 0, err[-4000:]
    covered = re.findall(r"coverage (\S+): (\d+) figures", out)
    assert len(covered) == len(seeds) and any(int(n) for _, n in covered)


@pytest.mark.parametrize("text", ["", "No figure here.\n"])
def test_a_draft_of_an_article_without_figures_has_no_not_claims(tmp_path, text):
    seed = tmp_path / "001_0000000000000000.txt"
    seed.write_text(text, encoding="utf-8")
    assert "not_claims" not in draft(seed)


def test_reviewed_fills_every_todo_of_a_draft(tmp_path):
    seed = tmp_path / "001_0000000000000000.txt"
    seed.write_text("The firm will spend €2bn over the next five years.\n", encoding="utf-8")
    facts: dict = {}
    assert "TODO" not in reviewed(draft(seed), facts) and list(facts.values()) == [("draft-001", "EUR")]
    assert Path(seed).is_file()
