"""A build that fails, is interrupted or is killed never leaves a half-written package."""

import hashlib
import json
import signal
import subprocess
import sys

import pytest
from conftest import ROOT, SOURCE_000

from pledges import files, pipeline

pytestmark = [pytest.mark.slow, pytest.mark.first(order=5)]


def state(root) -> dict[str, str]:
    """sha256 of each output, after checking the package is whole: the files datapackage.json
    lists, with the bytes and hashes it records, and no staging directory left behind."""
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    listed = {r["path"] for r in package["resources"]}
    assert listed == {f"data/{p.name}" for p in (root / "data").iterdir()}
    for resource in package["resources"]:
        data = (root / resource["path"]).read_bytes()
        assert (len(data), "sha256:" + hashlib.sha256(data).hexdigest()) == (resource["bytes"], resource["hash"])
    assert not list(root.glob(".build-*"))
    outputs = [root / "datapackage.json", *sorted((root / "data").iterdir())]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in outputs}


@pytest.fixture
def changed(package):
    """A package whose next build differs from its current data: (package, old state)."""
    old = state(package.root)
    package.edit(SOURCE_000, "qualifier: up_to", "qualifier: about")
    return package, old


def new_state(package, capsys) -> dict[str, str]:
    assert package.build(capsys)[0] == 0
    return state(package.root)


# The swap renames data/ out, the new data/ in, datapackage.json out, the new one in.
STEPS = [(1, "old"), (2, "old"), (3, "new"), (4, "new")]


@pytest.mark.parametrize("step, outcome", STEPS)
def test_interruption_at_each_rename_of_the_swap_leaves_one_whole_package(changed, capsys, monkeypatch, step, outcome):
    package, old = changed
    real, calls = files.Swap.rename, []

    def interrupted(fd, source, target):
        calls.append(source)
        if len(calls) == step:
            raise KeyboardInterrupt
        real(fd, source, target)

    monkeypatch.setattr(files.Swap, "rename", staticmethod(interrupted))
    assert package.build(capsys)[0] == 130
    after = state(package.root)
    monkeypatch.setattr(files.Swap, "rename", staticmethod(real))
    assert after == (old if outcome == "old" else new_state(package, capsys))


KILL_AT_RENAME = """
import os, sys
from pledges import files, pipeline
real, calls = files.Swap.rename, []
def killed(fd, source, target):
    calls.append(source)
    if len(calls) == {step}:
        os._exit(9)  # like SIGKILL: no cleanup runs
    real(fd, source, target)
files.Swap.rename = staticmethod(killed)
sys.exit(pipeline.main(["--root", {root!r}]))
"""


@pytest.mark.parametrize("step, outcome", STEPS)
def test_build_killed_at_each_rename_is_recovered(changed, capsys, step, outcome):
    package, old = changed
    code = KILL_AT_RENAME.format(step=step, root=str(package.root))
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 9
    assert list(package.root.glob(".build-*"))  # the dead build left its staging folder
    pipeline.recover(package.root)
    after = state(package.root)
    assert after == (old if outcome == "old" else new_state(package, capsys))


STAGES = ["load annotations and seeds", "check claims against their seeds", "reconcile claims into pledges",
          "render tables", "check tables against their schemas", "publish data/ and datapackage.json"]


@pytest.mark.parametrize("stage", STAGES)
def test_build_killed_in_any_stage_leaves_the_old_or_the_new_package(changed, capsys, stage):
    """Killed as soon as it announces a stage (synchronised on the stage reached, not on a delay)."""
    package, old = changed
    process = subprocess.Popen([sys.executable, "-u", str(ROOT / "build.py"), "--root", str(package.root)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        if line.strip() == f"==> {stage}":
            process.send_signal(signal.SIGKILL)
            break
    process.wait()
    process.stdout.close()
    pipeline.recover(package.root)
    after = state(package.root)
    assert after in (old, new_state(package, capsys))


def test_next_build_says_it_recovered(changed, capsys):
    package, old = changed
    code = KILL_AT_RENAME.format(step=2, root=str(package.root))
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=False)
    assert not (package.root / "data").exists()  # killed between the renames: data/ is aside
    status, out, _ = package.build(capsys)
    assert status == 0
    assert "an earlier build was interrupted: put the previous data back" in out
    state(package.root)
