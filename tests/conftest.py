"""Shared fixtures: a throw-away copy of the package to break on purpose, and a build runner."""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# Every property test draws the same examples on every run and machine: a failure seen once is
# seen again (tests may still fix their own seed with @seed).
settings.register_profile("fixed", derandomize=True, database=None)
settings.load_profile("fixed")

ROOT = Path(__file__).resolve().parent.parent
from pledges import pipeline, vocabulary  # noqa: E402

INPUTS = ("annotations", "seeds", "schemas", "package.yaml", "data", "datapackage.json")
SOURCE_000 = "annotations/sources/000_a740679b1ad3bc90.yaml"
FACTS = "annotations/facts.yaml"


def annotated(relative: str, claim_id: str) -> dict:
    """A claim of a committed annotation as written, for the tests that edit a copy of it: they
    take its words, offsets and figures from here, never from their own text."""
    doc = yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))
    return next(claim for claim in doc["claims"] if claim["id"] == claim_id)


def page_text(path: Path) -> str:
    """What a reader sees of a page: its text without tags, entities decoded, spaces collapsed."""
    text = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(text).split())


class Package:
    """A copy of the package under a temporary directory."""

    def __init__(self, root: Path):
        self.root = root

    def edit(self, relative: str, old: str, new: str, count: int = 1) -> None:
        """Replace `old` by `new` in a file; the old text must be there, so no edit is silently lost."""
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def outputs(self) -> dict[str, str]:
        """sha256 of every file the build writes."""
        files = sorted((self.root / "data").iterdir()) + [self.root / "datapackage.json"]
        return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}

    def build(self, capsys) -> tuple[int, str, str]:
        status = pipeline.main(["--root", str(self.root)])
        captured = capsys.readouterr()
        return status, captured.out, captured.err


def copy_parts(destination: Path, parts) -> Path:
    """Copy files and folders of the repository into `destination` (caches left out)."""
    for name in parts:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    return destination


@pytest.fixture
def package(tmp_path: Path) -> Package:
    return Package(copy_parts(tmp_path, INPUTS))


def pytest_collection_modifyitems(items):
    """Modules marked `first` run before the others, in the order of their mark's `order` (the
    longest first: the suite again in a copy of the package, the browsers, the faults), so that the
    workers of make test end together rather than one running a long module alone at the end."""
    def rank(item):
        mark = item.get_closest_marker("first")
        return (0, mark.kwargs.get("order", 0)) if mark else (1, 0)
    items.sort(key=rank)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A headless Chromium for the module (tests/browsing.py; the module calls require_browser())."""
    from browsing import start_browser

    driver = start_browser(tmp_path_factory.mktemp("profile"))
    yield driver
    driver.quit()


@pytest.fixture(autouse=True)
def this_checkouts_vocabulary():
    """A test that built or validated a copy leaves its package the current one (pledges.vocabulary
    .use); the next test starts with this checkout's, as a command does."""
    yield
    if vocabulary.package_root() != ROOT:
        vocabulary.use(ROOT)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """This checkout's static site, built once for the module."""
    from pledges.publish.site import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    build_site(ROOT, out)
    return out


def pytest_ignore_collect(collection_path, config):
    """Under `-m "not slow"` (make quick), a module whose every test is slow (a module-level
    `pytestmark` with `pytest.mark.slow`) is not even imported: collecting it would cost more than
    the quick tests."""
    if config.getoption("markexpr", "") != "not slow" or not collection_path.name.startswith("test_"):
        return None
    head = collection_path.read_text(encoding="utf-8")
    return True if re.search(r"^pytestmark = \[?pytest\.mark\.slow\b", head, flags=re.M) else None
