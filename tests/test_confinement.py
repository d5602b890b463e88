"""No annotation can make the build open, hash or print a file outside seeds/; no control
character reaches a table; a seed's name is derived from its hash."""

from __future__ import annotations

import hashlib

import pytest
from conftest import SOURCE_000

SEED_LINE = "seed: 000_a740679b1ad3bc90.txt"


def _refused(package, capsys, *fragments):
    before = package.outputs()
    status, out, err = package.build(capsys)
    assert status == 1 and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert package.outputs() == before
    return out + err


@pytest.mark.parametrize("seed", ["/etc/passwd", "../../outside.txt", "../README.md", "sub/000_a740679b1ad3bc90.txt",
                                  "000_a740679b1ad3bc90.txt/../../x"])
def test_a_seed_outside_seeds_is_never_opened_or_printed(package, capsys, seed, tmp_path):
    secret = package.root.parent / "outside.txt"
    secret.write_text("SECRET-TOKEN 4 billion euros\n")
    package.edit(SOURCE_000, SEED_LINE, f"seed: '{seed}'")
    said = _refused(package, capsys, f"{SOURCE_000}: seed: seed {seed!r} is not a seed file name")
    assert "SECRET-TOKEN" not in said and "root:" not in said


def test_a_seed_that_is_a_link_out_of_seeds_is_refused(package, capsys):
    secret = package.root.parent / "outside.txt"
    secret.write_text("SECRET-TOKEN 4 billion euros\n")
    name = "005_" + hashlib.sha256(secret.read_bytes()).hexdigest()[:16] + ".txt"
    (package.root / "seeds" / name).symlink_to(secret)
    annotation = (package.root / SOURCE_000).read_text()
    (package.root / SOURCE_000).write_text(annotation.replace(SEED_LINE, f"seed: {name}"))
    said = _refused(package, capsys, f"seed {name!r} refused: a symbolic link; the package reads only plain files")
    assert "SECRET-TOKEN" not in said


def test_a_new_seed_whose_name_does_not_match_its_sha256_is_refused(package, capsys):
    data = (package.root / "seeds/000_a740679b1ad3bc90.txt").read_bytes()
    wrong = "005_0123456789abcdef.txt"
    (package.root / "seeds" / wrong).write_bytes(data)
    (package.root / "annotations/sources/000_a740679b1ad3bc90.yaml").rename(
        package.root / "annotations/sources/005_0123456789abcdef.yaml")
    path = package.root / "annotations/sources/005_0123456789abcdef.yaml"
    path.write_text(path.read_text().replace(SEED_LINE, f"seed: {wrong}"))
    digest = hashlib.sha256(data).hexdigest()[:16]
    _refused(package, capsys, "seed name does not match its sha256", f"005_{digest}.txt")


@pytest.mark.parametrize("escape, code", [("\\0", "U+0000"), ("\\e[31m", "U+001B"), ("\\x85", "U+0085"),
                                          ("\\u2028", "U+2028")])
def test_a_control_character_written_as_an_escape_is_refused_where_it_is_written(package, capsys, escape, code):
    text = (package.root / SOURCE_000).read_text()
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("    qualifier:"))
    package.edit(SOURCE_000, "    qualifier: unhedged\n", f'    qualifier: unhedged\n    note: "red{escape}text"\n')
    _refused(package, capsys, f"{SOURCE_000}:{line + 1}: claims[0].note holds a control or format character, {code}")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_a_raw_line_separator_is_refused_so_line_numbers_mean_one_line(package, capsys, separator):
    text = (package.root / SOURCE_000).read_text()
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("    qualifier:"))
    package.edit(SOURCE_000, "    qualifier: unhedged\n", f'    qualifier: unhedged\n    note: "a{separator}b"\n')
    _refused(package, capsys, f"{SOURCE_000}:{line + 1}: control character YAML does not allow: U+{ord(separator):04X}")
