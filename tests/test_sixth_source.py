"""Adding a source, as README's "Adding a source" says, leaves the package valid and make test green.

The article below was written for this test in the style of a French newswire dispatch (no text
is taken from anywhere). It corroborates Amazon's pledges and contradicts Microsoft's GPU figure.
The test copies the package, adds the article as a sixth seed, drafts it with the suggester,
writes the reviewed annotation (quotes only: the build finds their offsets), builds, validates,
and runs the whole test suite on the copy.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from pledges import pipeline
from pledges.publish.docs import main as docs_main
from pledges.suggest.draft import main as draft_main

pytestmark = [pytest.mark.slow, pytest.mark.first(order=1)]

ARTICLE = (
    "PARIS, 13 mai (Reuters) - Amazon investira 1,2 milliard d'euros en France et y créera plus de "
    "3.000 emplois, a annoncé lundi le groupe américain en marge du sommet Choose France.\n\n"
    "Microsoft a de son côté promis quatre milliards d'euros pour ses centres de données et compte "
    "déployer jusqu'à 20.000 processeurs graphiques d'ici fin 2025, selon un communiqué.\n"
)
CLAIMS = [  # (fact, quote, subject, metric, value, unit, qualifier, target, target_date)
    ("amzn-fr-investment", "Amazon investira 1,2 milliard d'euros en France", "Amazon", "investment", "1200000000",
     "EUR", "unhedged", "", ""),
    ("amzn-fr-jobs", "créera plus de 3.000 emplois", "Amazon", "jobs", "3000", "jobs", "more_than", "", ""),
    ("msft-fr-investment", "Microsoft a de son côté promis quatre milliards d'euros", "Microsoft", "investment",
     "4000000000", "EUR", "unhedged", "", ""),
    ("msft-fr-gpus", "déployer jusqu'à 20.000 processeurs graphiques d'ici fin 2025", "Microsoft", "gpus", "20000",
     "gpus", "up_to",
     "d'ici fin 2025", "2025-12-31"),
]
IN_COPY = "PLEDGES_SIXTH_SOURCE_COPY"


def annotation(seed: str, digest: str) -> str:
    lines = [f"seed: {seed}", f"sha256: {digest}", "publisher: Test newswire (written for the test suite)",
             "title: Amazon et Microsoft à Choose France", "language: fr", 'published: ""', "date_basis: unknown",
             "date_evidence: 13 mai", 'author: ""', 'url: ""', "claims:"]
    for number, (fact, quote, subject, metric, value, unit, qualifier, target, target_date) in enumerate(CLAIMS, 1):
        lines += [f"  - id: c{number:02d}", f"    fact: {fact}", f'    quote: "{quote}"', f"    subject: {subject}",
                  f"    metric: {metric}", f"    value: {value}", f"    unit: {unit}", f"    qualifier: {qualifier}"]
        if target:
            lines += [f'    target: "{target}"', f"    target_date: {target_date}"]
    return "\n".join(lines) + "\n"


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, IN_COPY: "1"}
    env.pop("REQUIRE_BROWSER", None)
    return subprocess.run([sys.executable, *args], cwd=root, capture_output=True, text=True, env=env, check=False)


@pytest.mark.skipif(os.environ.get(IN_COPY) == "1", reason="already running inside the copy")
def test_a_sixth_source_builds_validates_and_keeps_the_suite_green(tmp_path, capsys):
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split("\n")
    root = tmp_path / "package"
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes((ROOT / name).read_bytes())
    raw = ARTICLE.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    number = 1 + max(int(p.name[:3]) for p in (root / "seeds").glob("*.txt"))
    seed = f"{number:03d}_{digest[:16]}.txt"
    (root / "seeds" / seed).write_bytes(raw)

    # 1. The build names the new seed and the command that drafts it, and publishes the rest.
    # (the commands run here as make runs them, on the copy: --root; the suite below in a process)
    status = pipeline.main(["--root", str(root)])
    built = capsys.readouterr()
    assert status == 0, built.err
    assert f"make suggest SEED=seeds/{seed}" in built.out

    # 2. The draft finds every figure a reader would annotate, with the right value and unit.
    assert draft_main([f"seeds/{seed}", "--out", "drafts", "--root", str(root)]) == 0, capsys.readouterr().err
    draft = (root / "drafts" / f"{Path(seed).stem}.yaml").read_text(encoding="utf-8")
    for _, _, _, _, value, unit, _, _, _ in CLAIMS:
        assert re.search(rf"value: {value}\n\s+unit: {unit}\n", draft), (value, unit)

    # 3. The reviewed annotation, the seeds README row, a build, the report: then the whole suite.
    (root / "annotations/sources" / f"{Path(seed).stem}.yaml").write_text(annotation(seed, digest), encoding="utf-8")
    readme = root / "seeds/README.md"
    row = f"| `{seed}` | test newswire | French | \"13 mai\" | `{digest}` |\n"
    text = readme.read_text(encoding="utf-8")
    last_row = text.rindex("|\n", 0, text.index("\n\n", text.index("| file |"))) + 2
    readme.write_text(text[:last_row] + row + text[last_row:], encoding="utf-8")
    assert pipeline.main(["--root", str(root)]) == 0, capsys.readouterr().err
    assert docs_main(["--root", str(root)]) == 0, capsys.readouterr().err
    done = run(root, "-m", "pledges.validate.run")
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    claims = (root / "data/claims.csv").read_text(encoding="utf-8")
    assert f"{Path(seed).stem}-c04" in claims
    checks = (root / "data/checks.csv").read_text(encoding="utf-8")
    assert f"value/{Path(seed).stem}-c04" in checks  # 20,000 GPUs contradicts 25,000

    # The tests whose outcome depends on the data (marked `data`): the rest test rules on fixtures
    # of their own, whose results do not depend on which sources there are.
    # Only the modules that hold such tests are collected: the others would be imported for nothing.
    modules = sorted(p.relative_to(root).as_posix() for p in (root / "tests").glob("test_*.py")
                     if "mark.data" in p.read_text(encoding="utf-8"))
    assert modules
    suite = run(root, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", "-m", "data and not slow", *modules)
    assert suite.returncode == 0, suite.stdout[-5000:]
