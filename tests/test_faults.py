"""Faults of the environment: a full disk, a read-only data/, two builds at once, a release killed
at random moments. After each, data/ and datapackage.json are one whole package that
Frictionless accepts, nothing half-written stays, the message says what happened (status 2 for a
fault of the environment), and the next command succeeds."""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SOURCE_000, copy_parts
from frictionless import Package

pytestmark = [pytest.mark.slow, pytest.mark.first(order=3)]
PARTS = ("annotations", "seeds", "schemas", "package.yaml", "data", "datapackage.json")


def snapshot(root: Path) -> dict[str, str]:
    files = [root / "datapackage.json", *sorted((root / "data").iterdir())]
    return {f.relative_to(root).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def whole(root: Path) -> None:
    report = Package(str(root / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])
    assert not list(root.glob(".build-*"))


def run_build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root)], capture_output=True,
                          text=True, check=False)


def fresh(path: Path) -> Path:
    """A copy of the package at `path`."""
    path.mkdir(parents=True)
    return copy_parts(path, PARTS)


def mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A package on a tmpfs with room for its inputs and a few kilobytes more."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)):
        pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
    try:
        yield fresh(disk / "package"), disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_stops_the_build_with_status_2_and_changes_nothing(small_disk):
    root, disk = small_disk
    (root / SOURCE_000).write_text((root / SOURCE_000).read_text().replace("qualifier: up_to", "qualifier: about"))
    before = snapshot(root)
    filler = disk / "filler"
    stat = os.statvfs(disk)
    filler.write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - 16384))  # a few kilobytes stay free
    done = run_build(root)
    assert done.returncode == 2, done.stderr
    assert "the disk is full" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(root) == before
    assert not list(root.glob(".build-*"))  # the same bytes as the whole package before
    filler.unlink()
    assert run_build(root).returncode == 0  # the next build succeeds
    whole(root)
    assert snapshot(root) != before


def test_a_read_only_data_folder_stops_the_build_with_status_2_and_changes_nothing(tmp_path):
    root = fresh(tmp_path / "package")
    (root / SOURCE_000).write_text((root / SOURCE_000).read_text().replace("qualifier: up_to", "qualifier: about"))
    before = snapshot(root)
    data = str(root / "data")
    if not (mount("--bind", data, data) and mount("-o", "remount,bind,ro", data)):
        pytest.skip("cannot bind-mount data/ read-only here")
    try:
        done = run_build(root)
    finally:
        subprocess.run(["umount", "-l", data], check=False)
    assert done.returncode == 2, done.stderr
    assert "build stopped" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(root) == before
    assert not list(root.glob(".build-*"))  # the same bytes as the whole package before
    assert run_build(root).returncode == 0
    whole(root)


def test_a_second_build_while_one_runs_is_refused_and_names_the_first(tmp_path):
    root = fresh(tmp_path / "package")
    before = snapshot(root)
    (root / ".cache").mkdir()
    with open(root / ".cache/lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("build (process 12345)\n")
        held.flush()
        done = run_build(root)
    assert done.returncode == 1 and "cannot build: build (process 12345) is running" in done.stderr
    assert snapshot(root) == before


def test_two_builds_racing_leave_one_whole_package(tmp_path):
    root = fresh(tmp_path / "package")
    (root / SOURCE_000).write_text((root / SOURCE_000).read_text().replace("qualifier: up_to", "qualifier: about"))
    racers = [subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(r.wait(timeout=120), r.stderr.read()) for r in racers]
    assert any(status == 0 for status, _ in results)
    for status, err in results:
        assert status == 0 or "is running in this checkout" in err, err
    whole(root)
    assert run_build(root).returncode == 0


def release_checkout(path: Path) -> Path:
    copy_parts(path, (*PARTS, "build.py", "pledges", "README.md", "LICENSE.md", "CITATION.cff", "CHANGELOG.md",
                      "verify.py"))
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "package")):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *args], cwd=path, check=True)
    return path


def test_a_release_killed_at_random_moments_never_blocks_the_next(tmp_path):
    root = release_checkout(tmp_path / "checkout")
    dist = root / "dist"
    chance = random.Random(20261201)
    for _ in range(3):
        process = subprocess.Popen([sys.executable, "-m", "pledges.publish.release", "--root", str(root)], cwd=root,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.2, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        zips = list(dist.glob("*.zip")) if dist.exists() else []
        for archive in zips:  # a zip in place is a whole one
            with zipfile.ZipFile(archive) as z:
                assert z.testzip() is None
        if zips:
            shutil.rmtree(dist)  # a finished release: start again, to kill another one
    done = subprocess.run([sys.executable, "-m", "pledges.publish.release", "--root", str(root)], cwd=root,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    sums = (dist / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == len(set(sums)) == 3
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest


def test_reports_cut_short_by_a_full_disk_keep_the_previous_reports_whole(tmp_path, monkeypatch):
    """The report writer alone (no engine runs): a full disk while the pair is written leaves both
    old reports, and no staging folder."""
    import errno

    from pledges import files
    from pledges.validate import report

    root = copy_parts(tmp_path, ("reports",))
    before = {p.name: p.read_bytes() for p in (root / "reports").iterdir()}

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", full)
    summary = {"package": "p", "version": "0", "valid": True, "summary": [], "checks": []}
    with pytest.raises(OSError):
        report.write_reports(root, summary)
    assert {p.name: p.read_bytes() for p in (root / "reports").iterdir()} == before
    assert not list(root.glob(".reports-*"))
