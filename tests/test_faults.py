"""Faults of the environment: a full disk, a read-only data/, two builds at once, a release killed
as it puts its files in place. After each, data/ and datapackage.json are one whole package that
Frictionless accepts, nothing half-written stays, the message says what happened (status 2 for a
fault of the environment), and the next command succeeds."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
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


# A release killed as it is about to put a file into dist/ (the file written whole under a
# temporary name, not yet renamed to its own): synchronised on the step reached, never on a delay.
KILL_AT_WRITE = """
import os, sys
from pledges import files
from pledges.publish import release
real = files.os.replace
def killed(source, target, *args, **kwargs):
    if str(target).endswith({ending!r}):
        os._exit(9)  # like SIGKILL: no cleanup runs
    real(source, target, *args, **kwargs)
files.os.replace = killed
sys.exit(release.main(["--root", {root!r}]))
"""


def test_a_release_killed_at_its_writes_never_blocks_the_next(tmp_path):
    """Killed as it is about to put its zip in place (the database and workbook are), then, the next
    run, its SHA256SUMS (the zip is): each zip in place is whole, and the run after completes the
    release, every artefact listed with its sha256."""
    root = release_checkout(tmp_path / "checkout")
    dist = root / "dist"
    for ending, left in ((".zip", {".sqlite", ".xlsx"}), ("SHA256SUMS", {".sqlite", ".xlsx", ".zip"})):
        killed = subprocess.run([sys.executable, "-c", KILL_AT_WRITE.format(ending=ending, root=str(root))],
                                cwd=ROOT, capture_output=True, text=True, check=False)
        assert killed.returncode == 9, killed.stderr  # killed there, not finished or failed before
        assert {p.suffix for p in dist.iterdir() if not p.name.startswith(".")} == left
        for archive in dist.glob("*.zip"):  # a zip in place is a whole one
            with zipfile.ZipFile(archive) as z:
                assert z.testzip() is None
    done = subprocess.run([sys.executable, "-m", "pledges.publish.release", "--root", str(root)], cwd=root,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in dist.iterdir() if p.name.startswith(".")] == []  # nothing half-written stays
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
