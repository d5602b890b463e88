"""`make bench`: time the build, the site and `make validate`, at the real package's size and at
1,000 and 10,000 synthetic sources, and write the figures to docs/benchmarks.md.

    python -m tools.bench [--runs 3] [--sizes 1000,10000] [--site-limit 120] [--out docs/benchmarks.md]

Every figure is the median of `runs` runs, each in a fresh process (imports count, as they do for
a user), on a copy; the runs of the build, the site and the validation alternate, so that a slow
spell of the machine falls on all of them. The machine is shared with other checkouts: before each
run the bench waits (up to --quiet-wait seconds) until other processes use less than a quarter of
a core. Beside each median: the fastest and slowest run, the CPU seconds it used (its processes and
theirs), which depend much less than the wall time on what else the machine runs, and the cores
other processes used meanwhile. A pure-Python loop timed between the groups, and the load average,
show how fast the machine was.

1. The real package: build, `frictionless validate datapackage.json`, `make validate`.
2. One annotation of 4,000 claims and one article of 1 MB: the build's load and check stages.
   One fact stated by 1,000 and by 8,000 sources: reconciliation, linear in the claims of a fact.
3. Synthetic packages (tools.synthetic: N sources of ten claims, facts shared across sources): the
   build, stage by stage, without the cache; the site (pledges.publish.site.build_site), stopped
   after `site-limit` seconds; `make validate`; `frictionless validate` alone.
4. At the largest: `make validate` engine by engine (each alone in a fresh process, with its
   imports); validation of a copy with one fault of each class (tools.faults): which classes it
   finds; a rebuild after one annotation changed, the rest from the cache.

Asserts nothing (speed is measured here, never by a timed test). The file it writes is generated:
run `make bench` again rather than editing it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pledges import ROOT, files
from pledges.errors import command
from pledges.publish.release import copy_parts
from tools import synthetic
from tools.faults import FAULTS, break_package

INPUTS = ("annotations", "seeds", "schemas", "package.yaml", "gx")
PACKAGE = ("data", "schemas", "gx", "datapackage.json", "package.yaml")
FRICTIONLESS = Path(sys.executable).with_name("frictionless")
OUT = "docs/benchmarks.md"
TARGET = 30.0  # seconds: issue 20's limit for the site and for make validate at 10,000 sources

BUILD = ("import json, sys, pathlib; from pledges import pipeline; t = []; pipeline.run(pathlib.Path(sys.argv[1]), "
         "t, verbose=False, cached=sys.argv[2] == 'cached'); print(json.dumps(t))")
SITE = ("import sys, pathlib, resource; from pledges.publish.site import build_site; "
        "build_site(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
ENGINE = ("import sys, pathlib; from pledges.validate import run; root = pathlib.Path(sys.argv[1]); "
          "outcomes = getattr(run, sys.argv[2] + '_outcomes')(root, run.inside(root)); "
          "sys.exit(any(o.status != 'passed' for o in outcomes))")
ENGINES = ("frictionless", "pandera", "expectation")


@dataclass
class Measure:
    """The runs of one measurement: wall seconds, CPU seconds, the cores other processes used
    meanwhile, and what the process printed last."""
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    out: list[str] = field(default_factory=list)
    others: list[float] = field(default_factory=list)
    stopped: float | None = None  # the limit, when a run was stopped at it

    def median(self) -> float:
        return statistics.median(self.wall)

    def cell(self) -> str:
        if self.stopped is not None:
            return f"over {self.stopped:.0f} s (stopped)"
        if not self.wall:
            return "not run"
        spread = f" [{min(self.wall):.2f}-{max(self.wall):.2f}]" if len(self.wall) > 1 else ""
        others = f", others {statistics.median(self.others):.1f}" if self.others else ""
        return f"{self.median():.2f} s{spread}, CPU {statistics.median(self.cpu):.1f} s{others}"


def busy() -> float:
    """CPU seconds the whole machine has spent busy since it started (/proc/stat)."""
    user, nice, system, idle, iowait, irq, softirq, steal = (int(v) for v in
                                                            Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class Machine:
    """The machine the bench runs on, shared with other checkouts: before each run it waits (up to
    `wait` seconds) until other processes use less than a quarter of a core, and it records how many
    cores they used during the run; between groups it times a pure-Python loop and reads the load
    average."""

    def __init__(self, wait: float = 0.0) -> None:
        self.wait = wait
        self.waited = 0.0
        self.busy_starts = 0  # runs started while others still used the machine
        self.loop: list[float] = []
        self.load: list[float] = []

    def quiet(self) -> None:
        deadline = time.perf_counter() + self.wait
        while True:
            before, start = busy(), time.perf_counter()
            time.sleep(1.0)
            if (busy() - before) / (time.perf_counter() - start) < 0.25:
                return
            if time.perf_counter() > deadline:
                self.busy_starts += 1
                return
            self.waited += time.perf_counter() - start

    def run(self, measure: Measure, args: list[str], limit: float | None = None, check: bool = True) -> None:
        """Run `args` once in a fresh process from the repository, adding its times to `measure`."""
        if measure.stopped is not None:
            return
        self.quiet()
        before, machine_before = resource.getrusage(resource.RUSAGE_CHILDREN), busy()
        start = time.perf_counter()
        try:
            done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=limit, check=False)
        except subprocess.TimeoutExpired:
            measure.stopped = limit
            return
        wall = time.perf_counter() - start
        after, machine_after = resource.getrusage(resource.RUSAGE_CHILDREN), busy()
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:4])}... failed ({done.returncode}): {done.stderr[-2000:]}")
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        measure.wall.append(wall)
        measure.cpu.append(cpu)
        measure.others.append(max(0.0, machine_after - machine_before - cpu) / wall)
        measure.out.append(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "")

    def sample(self) -> None:
        start = time.perf_counter()
        sum(i * i for i in range(5_000_000))
        self.loop.append(time.perf_counter() - start)
        self.load.append(os.getloadavg()[0])

    @staticmethod
    def description() -> list[tuple[str, str]]:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), platform.processor() or "unknown")
        memory = next((int(line.split()[1]) / 1024 / 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")), 0.0)
        return [("processor", f"{cpu}, {len(os.sched_getaffinity(0))} cores available"),
                ("memory", f"{memory:.1f} GB"), ("system", platform.platform()),
                ("Python", platform.python_version())]


def commit() -> str:
    def git(*args: str) -> str:  # lines kept whole: a status line starts with a space
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.rstrip("\n")

    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
               if line[3:] != OUT]
    subject = git("log", "-1", "--format=%s")
    head = git("log", "-1", "--format=%h") + (f" ({subject[:60].rsplit(' ', 1)[0]}...)" if len(subject) > 60
                                              else f" ({subject})")
    return head + (f" (with uncommitted changes to {len(changed)} files)" if changed else "")


def build_stages(measure: Measure) -> dict[str, tuple[float, float]]:
    """(median seconds, peak MB) of each stage of the builds measured."""
    runs = [json.loads(out) for out in measure.out]
    return {name: (statistics.median(run[i][1] for run in runs), max(run[i][2] for run in runs))
            for i, (name, _, _) in enumerate(runs[0])}


def real_package(runs: int, machine: Machine) -> dict[str, Measure]:
    found = {"build": Measure(), "frictionless validate": Measure(), "make validate": Measure()}
    with tempfile.TemporaryDirectory() as tmp:
        copy_parts(ROOT, Path(tmp), INPUTS)
        for _ in range(runs):
            machine.run(found["build"], [sys.executable, "build.py", "--root", tmp, "--no-cache"])
            machine.run(found["frictionless validate"],
                        [str(FRICTIONLESS), "validate", str(Path(tmp) / "datapackage.json")])
            machine.run(found["make validate"], [sys.executable, "-m", "pledges.validate.run", "--root", tmp])
    machine.sample()
    return found


def large_files(runs: int, machine: Machine) -> list[tuple[str, str, dict[str, tuple[float, float]]]]:
    """One annotation of 4,000 claims, and one article of about 1 MB: the build's stages."""
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, claims, prose in (("annotation of 4,000 claims", 4000, 0), ("article of about 1 MB", 400, 28)):
            root = synthetic.write(Path(tmp) / label.split()[0], 1, claims, prose)
            size = next((root / "seeds").iterdir()).stat().st_size
            measure = Measure()
            for _ in range(runs):
                machine.run(measure, [sys.executable, "-c", BUILD, str(root), "fresh"])
            found.append((label, f"{size / 1e6:.2f} MB of seed", build_stages(measure)))
    return found


def one_fact(runs: int, machine: Machine) -> dict[int, float]:
    """One fact stated by every source (a third of them in dollars): reconcile, median seconds."""
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1000, 8000):
            root = synthetic.write(Path(tmp) / str(n), n, claims=1, facts=1)
            measure = Measure()
            for _ in range(runs):
                machine.run(measure, [sys.executable, "-c", BUILD, str(root), "fresh"])
            found[n] = build_stages(measure)["reconcile claims into pledges"][0]
    return found


@dataclass
class Size:
    sources: int
    claims: int = 0
    build: Measure = field(default_factory=Measure)
    site: Measure = field(default_factory=Measure)
    validate: Measure = field(default_factory=Measure)
    frictionless: Measure = field(default_factory=Measure)
    site_peak: float = 0.0


def at_size(n: int, runs: int, site_limit: float, tmp: Path, machine: Machine) -> Size:
    root = synthetic.write(tmp / str(n), n)
    size = Size(n)
    for _ in range(runs):
        machine.run(size.build, [sys.executable, "-c", BUILD, str(root), "fresh"])
        machine.run(size.site, [sys.executable, "-c", SITE, str(root), str(tmp / f"site-{n}")], limit=site_limit)
        machine.run(size.validate, [sys.executable, "-m", "pledges.validate.run", "--root", str(root)])
        machine.run(size.frictionless, [str(FRICTIONLESS), "validate", str(root / "datapackage.json")])
        machine.sample()
    size.claims = sum(1 for _ in (root / "data" / "claims.csv").open(encoding="utf-8")) - 1
    size.site_peak = max((float(out) for out in size.site.out), default=0.0)
    return size


def engines(root: Path, runs: int, machine: Machine) -> dict[str, Measure]:
    found = {engine: Measure() for engine in ENGINES}
    for _ in range(runs):
        for engine in ENGINES:
            machine.run(found[engine], [sys.executable, "-c", ENGINE, str(root), engine])
    return found


def faults(root: Path, copy: Path, machine: Machine) -> tuple[Measure, list[tuple[str, str, bool]]]:
    """`make validate` of a copy of `root` with one fault of each class (tools.faults): for each
    class, the engines that must find it and whether they all did."""
    copy.mkdir(parents=True, exist_ok=True)
    copy_parts(root, copy, PACKAGE)
    break_package(copy)
    measure = Measure()
    machine.run(measure, [sys.executable, "-m", "pledges.validate.run", "--root", str(copy)], check=False)
    report = json.loads((copy / "reports" / "validation.json").read_text(encoding="utf-8"))["checks"]
    reported = {(c["engine"], c["table"], c["check"], c["status"]) for c in report}
    return measure, [(f"{fault.table}: {fault.what}", ", ".join(sorted({e for e, _, _ in fault.found})),
                      all((e, fault.table, c, s) in reported for e, c, s in fault.found)) for fault in FAULTS]


def incremental(root: Path, machine: Machine) -> Measure:
    """A build that fills the cache, then a rebuild after one annotation changed."""
    machine.run(Measure(), [sys.executable, "-c", BUILD, str(root), "cached"])
    annotation = sorted((root / "annotations" / "sources").glob("*.yaml"))[0]
    text = annotation.read_text(encoding="utf-8")
    if "publisher: Synthetic newswire" not in text:
        raise RuntimeError(f"{annotation}: no publisher line to change")
    annotation.write_text(text.replace("publisher: Synthetic newswire", "publisher: Synthetic wire"), encoding="utf-8")
    measure = Measure()
    machine.run(measure, [sys.executable, "-c", BUILD, str(root), "cached"])
    return measure


def row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def ratio(big: Size, small: Size, measure: str) -> str:
    """Time per source at the larger size over that at the smaller (1.00: linear)."""
    a, b = getattr(big, measure), getattr(small, measure)
    if not a.wall or not b.wall:
        return "not measured (stopped)"
    return f"{(a.median() / big.sources) / (b.median() / small.sources):.2f}"


def verdict(measure: Measure) -> str:
    if not measure.wall:
        return f"**no** ({measure.cell()})"
    return f"{'yes' if measure.median() < TARGET else '**no**'} ({measure.median():.1f} s)"


@dataclass
class Results:
    command: str
    runs: int
    started: datetime
    machine: Machine
    real: dict[str, Measure]
    large: list[tuple[str, str, dict[str, tuple[float, float]]]]
    fact: dict[int, float]
    sizes: list[Size]
    engines: dict[str, Measure]
    broken: Measure
    classes: list[tuple[str, str, bool]]
    rebuild: Measure
    spent: float = 0.0

    def measures(self) -> list[Measure]:
        return [*self.real.values(), *self.engines.values(),
                *(m for s in self.sizes for m in (s.build, s.site, s.validate, s.frictionless))]


def report(r: Results) -> str:
    small, big = r.sizes[0], r.sizes[-1]
    loop, load = r.machine.loop, r.machine.load
    spreads = [max(m.wall) / min(m.wall) for m in r.measures() if len(m.wall) > 1]
    others = [o for m in r.measures() for o in m.others] or [0.0]
    stages = [build_stages(s.build) for s in r.sizes]
    return "\n".join([
        "# Benchmarks", "",
        "*Generated by `make bench` (tools/bench.py); do not edit by hand: run `make bench` again.*", "",
        row("", ""), row("---", "---"),
        row("date", r.started.strftime("%Y-%m-%d %H:%M UTC")), row("commit", commit()),
        row("command", f"`make bench` (`{r.command}`)"),
        row("runs", f"{r.runs} of each measure, each in a fresh process: the median, [fastest-slowest] beside it, "
            "the CPU seconds of the process and those it started, and the cores others used meanwhile"),
        *[row(k, v) for k, v in Machine.description()], row("the bench took", f"{r.spent / 60:.1f} min"), "",
        "## How noisy this machine is", "",
        "The machine is shared: other checkouts build and test on it. Before each run the bench waited until "
        f"other processes used less than a quarter of a core ({r.machine.waited / 60:.1f} min of waiting in all; "
        f"{r.machine.busy_starts} runs started after {r.machine.wait:.0f} s of waiting, the machine still busy). "
        f"During the runs other processes used {min(others):.2f} to {max(others):.2f} cores (median "
        f"{statistics.median(others):.2f}: \"others\" beside each figure). A pure-Python loop timed {len(loop)} "
        f"times took {min(loop):.3f} to {max(loop):.3f} s (a spread of {max(loop) / min(loop):.2f}x), and the load "
        f"average was {min(load):.1f} to {max(load):.1f}. The slowest run of a measure took up to "
        f"{max(spreads, default=1):.2f}x its fastest (median spread {statistics.median(spreads or [1]):.2f}x). "
        "The CPU seconds vary much less with the load than the wall time: compare them between two benches. "
        "`make validate` uses both cores (Frictionless' tables in worker processes, pandera and Great "
        "Expectations meanwhile), so it slows down most when another process takes one.", "",
        "## The real package", "",
        row("measure", "median [fastest-slowest], CPU"), row("---", "---"),
        *[row("`make build` (without the cache)" if name == "build" else f"`{name}`", m.cell())
          for name, m in r.real.items()], "",
        "## Scale: build, site and validation", "",
        "Synthetic packages (`python -m tools.synthetic`): articles of ten figures in three languages, facts "
        "shared by about three sources, a third of them in dollars. Time per source at "
        f"{big.sources:,} sources over that at {small.sources:,} (1.00 is linear): build {ratio(big, small, 'build')}, "
        f"site {ratio(big, small, 'site')}, `make validate` {ratio(big, small, 'validate')}.", "",
        row("sources (claims)", "build (without the cache)", "site", "`make validate`", "`frictionless validate`"),
        row("---", "---", "---", "---", "---"),
        *[row(f"{s.sources:,} ({s.claims:,})", s.build.cell(), s.site.cell(), s.validate.cell(), s.frictionless.cell())
          for s in r.sizes], "",
        f"Issue 20's targets at {big.sources:,} sources, under {TARGET:.0f} s: the site {verdict(big.site)}; "
        f"`make validate` {verdict(big.validate)}. Peak memory of the site: "
        + (", ".join(f"{s.site_peak:.0f} MB at {s.sources:,}" for s in r.sizes if s.site_peak) or "not measured")
        + ".", "",
        "### The build, stage by stage (medians)", "",
        row("stage", *[f"{s.sources:,} sources" for s in r.sizes], "peak memory"),
        row("---", *["---" for _ in r.sizes], "---"),
        *[row(name, *[f"{st[name][0]:.2f} s" for st in stages], f"{stages[-1][name][1]:.0f} MB")
          for name in stages[-1]], "",
        f"### `make validate` at {big.sources:,} sources, engine by engine", "",
        "Each engine alone, in a fresh process with its imports. `make validate` runs them at the same time, so it "
        "takes less than their sum.", "",
        row("engine", "median [fastest-slowest], CPU"), row("---", "---"),
        *[row(name.replace("expectation", "great_expectations"), m.cell()) for name, m in r.engines.items()],
        row("all three: `make validate`", big.validate.cell()), "",
        f"With one fault of each class (tools/faults.py) in the last rows of its table: {r.broken.cell()}; "
        f"{sum(ok for _, _, ok in r.classes)} of {len(r.classes)} classes found.", "",
        row("fault class", "found by", "found"), row("---", "---", "---"),
        *[row(what, engines, "yes" if ok else "**no**") for what, engines, ok in r.classes], "",
        "## Other measures", "",
        row("measure", "median"), row("---", "---"),
        *[row(f"one {label} ({size}): load, check",
              f"{st['load annotations and seeds'][0]:.2f} s, {st['check claims against their seeds'][0]:.2f} s")
          for label, size, st in r.large],
        row("one fact stated by 1,000 and by 8,000 sources: reconcile",
            f"{r.fact[1000]:.3f} s, {r.fact[8000]:.3f} s ({r.fact[8000] / 8 / max(r.fact[1000], 1e-9):.2f}x a claim)"),
        row(f"rebuild of the {big.sources:,} after one annotation changed (the rest from the cache)", r.rebuild.cell()),
        ""])


@command("bench")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--site-limit", type=float, default=120.0, help="seconds after which a site build is stopped")
    parser.add_argument("--quiet-wait", type=float, default=300.0,
                        help="seconds to wait before each run for other processes to leave the machine")
    parser.add_argument("--out", default=OUT, help="the Markdown file to write, inside the repository")
    args = parser.parse_args(argv)
    text = "python -m tools.bench " + " ".join(sys.argv[1:] if argv is None else argv)
    started, start = datetime.now(UTC), time.perf_counter()
    machine = Machine(args.quiet_wait)
    machine.sample()
    print("==> the real package", flush=True)
    real = real_package(args.runs, machine)
    print("==> large files; one fact, many sources", flush=True)
    large, fact = large_files(args.runs, machine), one_fact(args.runs, machine)
    machine.sample()
    sizes = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(int(n) for n in args.sizes.split(",")):
            print(f"==> {n:,} sources", flush=True)
            sizes.append(at_size(n, args.runs, args.site_limit, Path(tmp), machine))
            print(f"    build {sizes[-1].build.cell()}; site {sizes[-1].site.cell()}; "
                  f"validate {sizes[-1].validate.cell()}", flush=True)
        largest = Path(tmp) / str(sizes[-1].sources)
        print("==> engine by engine; faults; a rebuild", flush=True)
        by_engine = engines(largest, args.runs, machine)
        broken, classes = faults(largest, Path(tmp) / "broken", machine)
        rebuild = incremental(largest, machine)
    machine.sample()
    results = Results(text.strip(), args.runs, started, machine, real, large, fact, sizes, by_engine, broken, classes,
                      rebuild, time.perf_counter() - start)
    files.write_text(ROOT, args.out, report(results))
    print(report(results))
    print(f"==> wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
