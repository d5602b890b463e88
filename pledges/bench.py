"""Benchmark `make build`: time whole builds of a copy of the package, in fresh processes.

    python -m pledges.bench [runs]

Each run is a new Python process, so imports count, as they do for a user. The copy keeps the
repository's data/ untouched. Prints every run and the median; asserts nothing (see DEVELOPERS).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ("annotations", "seeds", "schemas", "package.yaml")


def main(runs: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for name in INPUTS:
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, Path(tmp) / name)
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", tmp], check=True, capture_output=True)
            seconds.append(time.perf_counter() - start)
    print("build runs (s): " + " ".join(f"{s:.2f}" for s in seconds))
    print(f"build median: {statistics.median(seconds):.2f} s over {runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
