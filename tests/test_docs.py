"""The documents a user and a maintainer read: every Make target documented, README within its
size, every relative link resolving, and every third-party module the code imports declared in
the requirement set of the commands that import it."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

from conftest import ROOT

README_LIMIT = 12 * 1024
# Which requirement set installs each part of the code (requirements/<set>.in, each set a
# superset of the one before): the first prefix that matches a file's path names it.
PLACES = [("pledges/publish/docs.py", "build"), ("pledges/publish/", "publish"), ("pledges/validate/", "dev"),
          ("pledges/", "build"), ("build.py", "build"), ("verify.py", "build"), ("tools/", "dev"), ("tests/", "dev")]
ORDER = ["build", "publish", "dev"]


def make_targets() -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.findall(r"^([a-z]+):.*## ", text, flags=re.M)


def test_every_make_target_is_in_the_maintainers_guide():
    guide = (ROOT / "docs" / "maintainers.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `make ([a-z]+)", guide, flags=re.M))
    targets = make_targets()
    assert targets and set(targets) - listed == set(), "add the targets to docs/maintainers.md"
    assert listed - set(targets) == set(), "docs/maintainers.md lists targets the Makefile does not have"


def test_the_readme_is_short_and_names_the_test_command_ci_runs():
    readme = (ROOT / "README.md").read_bytes()
    assert len(readme) <= README_LIMIT, f"README.md is {len(readme)} bytes; move material to docs/"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r"^REQUIRE_BROWSER=1 (make \w+)$", ci, flags=re.M)
    assert command and command.group(1) in readme.decode("utf-8")


def test_every_relative_link_in_the_documents_resolves():
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            path = target.split("#")[0]
            if path and not re.match(r"[a-z]+:", path) and not (page.parent / path).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == [], broken


def declared(name: str) -> set[str]:
    """The distributions a requirement set names, with those of the sets it includes."""
    names = set()
    for line in (ROOT / "requirements" / f"{name}.in").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            names |= declared(line[3:].strip().removesuffix(".in"))
        elif line and not line.startswith("-"):
            names.add(re.split(r"[<>=!~\[ ]", line)[0].lower().replace("_", "-"))
    return names


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


def test_every_imported_module_is_declared_in_the_set_that_installs_its_importer():
    distributions = packages_distributions()
    local = {"pledges", "tools", "verify", "build"} | {path.stem for path in (ROOT / "tests").glob("*.py")}
    missing = []
    for path in sorted([*ROOT.glob("pledges/**/*.py"), *ROOT.glob("tools/*.py"), *ROOT.glob("tests/*.py"),
                        ROOT / "build.py", ROOT / "verify.py"]):
        relative = path.relative_to(ROOT).as_posix()
        name = next(named for prefix, named in PLACES if relative.startswith(prefix))
        wanted = declared(name)
        for module in sorted(imported(path) - local - set(sys.stdlib_module_names)):
            names = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
            if not names & wanted:
                missing.append(f"{relative} imports {module} ({', '.join(sorted(names))}), "
                               f"not in requirements/{name}.in or a set it includes")
    assert missing == []
