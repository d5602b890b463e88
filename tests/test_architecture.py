"""docs/architecture.md maps every module of the tree, and nothing that is not there."""

from __future__ import annotations

import re

from conftest import ROOT

MAP = ROOT / "docs" / "architecture.md"


def mapped() -> set[str]:
    text = MAP.read_text(encoding="utf-8")
    table = text.split("<!-- modules:start -->")[1].split("<!-- modules:end -->")[0]
    return set(re.findall(r"^\| `([^`]+)` \|", table, re.MULTILINE))


def modules() -> set[str]:
    found = {"build.py", "verify.py"}
    for folder in ("pledges", "tools"):
        found |= {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*.py")
                  if "__pycache__" not in p.parts}
    return found


def test_every_module_is_on_the_architecture_map():
    missing = modules() - mapped()
    assert not missing, f"modules not described in docs/architecture.md: {sorted(missing)}"


def test_the_architecture_map_names_no_module_that_is_gone():
    gone = mapped() - modules()
    assert not gone, f"docs/architecture.md describes modules that do not exist: {sorted(gone)}"


def test_build_py_is_a_thin_entry_point():
    lines = [line for line in (ROOT / "build.py").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith(("#", '"', " "))]
    assert len(lines) <= 6, lines


def test_no_module_changes_sys_path():
    for path in [ROOT / "build.py", *(ROOT / "pledges").rglob("*.py"), *(ROOT / "tests").glob("*.py"),
                 *(ROOT / "tools").glob("*.py")]:
        if path.name == "test_architecture.py":
            continue
        assert "sys.path" not in path.read_text(encoding="utf-8"), path
