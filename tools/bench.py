"""Benchmark `make build`: on the real package beside `frictionless validate`, and at scale.

    python -m tools.bench [runs] [--sizes 5,500,5000,10000]

1. The real package: `runs` builds and `runs` bare `frictionless validate datapackage.json`, each a
   fresh process (imports count, as they do for a user), on a copy; the medians and their ratio.
2. Synthetic packages (tools.synthetic: N sources of ten claims, facts shared across sources):
   per stage, the time and the peak resident memory of one build in a fresh process, the time per
   source, and `frictionless validate` of the same package.
3. One 4,000-claim annotation and one 1 MB article, loaded and checked; one fact stated by 1,000
   and by 8,000 sources, reconciled.
4. `make validate` of the largest, intact and with one fault of each class it finds in the last
   rows of their tables (tools.faults): which classes it still finds at that size.
5. An incremental rebuild of the largest: one annotation changed, the rest from the cache (do not
   edit the code meanwhile: the cache is keyed by it).

Prints the figures; asserts nothing (speed is measured here, never by a timed test).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pledges import ROOT
from pledges.errors import command
from pledges.publish.release import copy_parts
from tools import synthetic
from tools.faults import break_package

INPUTS = ("annotations", "seeds", "schemas", "package.yaml")
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def seconds(command: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start


def stages(root: Path) -> tuple[float, list[tuple[str, float, float]]]:
    """One build of `root` in a fresh process: its wall time, and (stage, seconds, peak MB) of each stage."""
    code = ("import json, sys; from pledges import pipeline; t = []; "
            "pipeline.run(__import__('pathlib').Path(sys.argv[1]), t, verbose=False); print(json.dumps(t))")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(root)], check=True, capture_output=True, text=True,
                          cwd=ROOT)
    return time.perf_counter() - start, [tuple(row) for row in json.loads(done.stdout.splitlines()[-1])]


def real_package(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy_parts(ROOT, Path(tmp), INPUTS)
        build = [seconds([sys.executable, str(ROOT / "build.py"), "--root", tmp]) for _ in range(runs)]
        check = [seconds([str(FRICTIONLESS), "validate", "datapackage.json"], cwd=Path(tmp)) for _ in range(runs)]
    print("real package")
    print("  build runs (s):                 " + " ".join(f"{s:.2f}" for s in build))
    print("  frictionless validate runs (s): " + " ".join(f"{s:.2f}" for s in check))
    ratio = statistics.median(build) / statistics.median(check)
    print(f"  build median: {statistics.median(build):.2f} s; frictionless validate median: "
          f"{statistics.median(check):.2f} s; ratio build/validate: {ratio:.2f}")


def scale(sizes: list[int]) -> None:
    print("synthetic packages (10 claims per source)")
    with tempfile.TemporaryDirectory() as tmp:
        per_source = {}
        for n in sizes:
            root = synthetic.write(Path(tmp) / str(n), n)
            total, measured = stages(root)
            check = seconds([str(FRICTIONLESS), "validate", "datapackage.json"], cwd=root)
            per_source[n] = total / n
            print(f"  N = {n}: build {total:.2f} s ({1000 * total / n:.2f} ms per source), peak "
                  f"{max(m for _, _, m in measured):.0f} MB; frictionless validate {check:.2f} s; "
                  f"ratio {total / check:.2f}")
            for name, spent, peak in measured:
                print(f"      {name:<40} {spent:7.2f} s  peak {peak:6.0f} MB")
        if 500 in per_source:
            for n, spent in per_source.items():
                if n > 500:
                    print(f"  time per source at {n} / at 500: {spent / per_source[500]:.2f}")
        largest = Path(tmp) / str(max(sizes))
        spent = seconds([sys.executable, "-m", "pledges.validate.run", "--root", str(largest)], cwd=ROOT)
        print(f"  make validate of the largest (frictionless, pandera, Great Expectations): {spent:.1f} s")
        faults(largest, Path(tmp) / "broken")
        incremental(largest)


def faults(root: Path, copy: Path) -> None:
    """`make validate` of a copy of `root` with one fault of each class in the last rows (tools.faults)."""
    copy.mkdir(parents=True, exist_ok=True)
    copy_parts(root, copy, ("data", "schemas", "gx", "datapackage.json", "package.yaml"))
    expected = break_package(copy)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pledges.validate.run", "--root", str(copy)], capture_output=True, cwd=ROOT)
    spent = time.perf_counter() - start
    report = json.loads((copy / "reports" / "validation.json").read_text(encoding="utf-8"))["checks"]
    missed = expected - {(c["engine"], c["table"], c["check"], c["status"]) for c in report}
    print(f"  make validate of the largest with one fault of each class in its last rows: {spent:.1f} s, "
          f"{len(expected) - len(missed)} of {len(expected)} classes found")
    for engine, table, check, status in sorted(missed):
        print(f"      missed: {engine} {table} {check} ({status})")


def large_files() -> None:
    """One annotation of 4,000 claims, and one article of about 1 MB: the build's load and check
    stages of a package of that one source."""
    with tempfile.TemporaryDirectory() as tmp:
        for label, claims, prose in (("annotation of 4,000 claims", 4000, 0), ("article of about 1 MB", 400, 28)):
            root = synthetic.write(Path(tmp) / label.split()[0], 1, claims, prose)
            size = next((root / "seeds").iterdir()).stat().st_size
            spent = {name: seconds for name, seconds, _ in stages(root)[1]}
            print(f"  one {label} ({size / 1e6:.2f} MB of seed): load {spent['load annotations and seeds']:.2f} s, "
                  f"check {spent['check claims against their seeds']:.2f} s")


def one_fact() -> None:
    """One fact stated by every source (a third of them in dollars): reconciliation stays linear in
    the claims of a fact."""
    with tempfile.TemporaryDirectory() as tmp:
        spent = {}
        for n in (1000, 8000):
            _, measured = stages(synthetic.write(Path(tmp) / str(n), n, claims=1, facts=1))
            spent[n] = {name: seconds for name, seconds, _ in measured}["reconcile claims into pledges"]
            print(f"  one fact stated by {n} sources: reconcile {spent[n]:.3f} s")
        print(f"  reconcile time per claim at 8000 / at 1000: {spent[8000] / 8 / max(spent[1000], 1e-9):.2f}")


def incremental(root: Path) -> None:
    """A rebuild after one annotation changes, the others read from the cache of the first build."""
    annotation = sorted((root / "annotations" / "sources").glob("*.yaml"))[0]
    annotation.write_text(annotation.read_text(encoding="utf-8").replace("publisher: Synthetic newswire",
                                                                         "publisher: Synthetic wire"), encoding="utf-8")
    total, measured = stages(root)
    print(f"  rebuild of the largest after changing one annotation: {total:.2f} s")
    for name, spent, peak in measured:
        print(f"      {name:<40} {spent:7.2f} s  peak {peak:6.0f} MB")


@command("bench")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=5)
    parser.add_argument("--sizes", default="5,500,5000,10000")
    args = parser.parse_args(argv)
    real_package(args.runs)
    print("large files")
    large_files()
    print("one fact, many sources")
    one_fact()
    scale([int(n) for n in args.sizes.split(",")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
