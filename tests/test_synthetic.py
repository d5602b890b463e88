"""The benchmark's synthetic packages build, and state the disagreements they are written with."""

from __future__ import annotations

import csv

from pledges import pipeline
from tools import synthetic


def rows(root, table):
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_a_synthetic_package_builds_with_dollars_and_other_hedges_among_its_reports(tmp_path, capsys):
    root = synthetic.write(tmp_path / "package", 12)
    assert pipeline.main(["--root", str(root)]) == 0
    kinds = {row["kind"] for row in rows(root, "checks")}
    assert {"currency", "qualifier"} <= kinds
    assert {row["unit"] for row in rows(root, "claims")} >= {"EUR", "USD"}
    capsys.readouterr()


def test_one_fact_stated_by_every_source_is_one_pledge_of_them_all(tmp_path, capsys):
    root = synthetic.write(tmp_path / "package", 40, claims=1, facts=1)
    assert pipeline.main(["--root", str(root)]) == 0
    [pledge] = rows(root, "pledges")
    assert pledge["n_sources"] == "40"
    capsys.readouterr()


def test_the_benchmark_report_says_whether_each_target_is_met_from_the_median():
    import json

    from tools import bench

    def measure(*walls, out=""):
        return bench.Measure(list(walls), [w * 0.9 for w in walls], [out] * len(walls))

    stages = json.dumps([["load annotations and seeds", 0.5, 90.0], ["check claims against their seeds", 1.5, 95.0],
                         ["reconcile claims into pledges", 0.2, 99.0]])
    sizes = [bench.Size(1000, 10000, measure(4.0, out=stages), measure(3.0), measure(9.0), measure(2.0)),
             bench.Size(10000, 100000, measure(40.0, out=stages), bench.Measure(stopped=120.0),
                        measure(25.0, 29.0, 45.0), measure(20.0))]
    machine = bench.Machine()
    machine.loop, machine.load = [0.25, 0.30], [1.0, 2.5]
    real = {"build": measure(0.5), "frictionless validate": measure(0.6), "make validate": measure(5.0)}
    large = [("article of about 1 MB", "1.00 MB of seed", bench.build_stages(measure(1.0, out=stages)))]
    results = bench.Results("python -m tools.bench", 3, bench.datetime(2026, 12, 2, tzinfo=bench.UTC), machine, real,
                            large,
                            {1000: 0.03, 8000: 0.24}, sizes, {"frictionless": measure(20.0)}, measure(26.0),
                            [("claims: a cell outside its enum", "frictionless, pandera", True),
                             ("sources: a source no claim cites", "great_expectations", False)], measure(3.0))
    text = bench.report(results)
    assert "the site **no** (over 120 s (stopped))" in text
    assert "`make validate` yes (29.0 s)" in text  # the median of 25, 29 and 45
    assert "1 of 2 classes found" in text
    assert "| sources: a source no claim cites | great_expectations | **no** |" in text
    assert "build 1.00" in text  # 40 s for 10,000 sources is 4 s for 1,000: linear
    assert "a spread of 1.20x" in text and "2026-12-02" in text


def test_a_cell_longer_than_csvs_default_limit_is_read_by_the_package():
    """A pledge stated by thousands of sources lists them in one cell (the benchmark's one fact of
    8,000 sources: some 170,000 characters): every reader of the tables takes it."""
    from pledges.publish.database import _rows

    ids = ";".join(f"{n:03d}_{'ab' * 8}" for n in range(8000))
    assert len(ids) > 131072  # csv's default limit
    schema = {"fields": [{"name": "fact_id", "type": "string"}, {"name": "source_ids", "type": "string"}]}
    assert _rows(f"fact_id,source_ids\nfact-1,{ids}\n".encode(), schema) == [("fact-1", ids)]
