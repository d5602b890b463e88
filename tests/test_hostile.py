"""A commit cannot turn the package against its users: links, special files, paths, caches,
characters and make variables, each refused with a message naming the file, or handled safely,
with nothing outside the package read or written (issue: a hostile commit).

Each test plants what a commit could (git stores symbolic links, and package.yaml and
datapackage.json are committed files) in a copy of the package, next to a file outside it that
must stay untouched and unread.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import FACTS, ROOT, SOURCE_000, annotated, copy_parts

from pledges import files, pipeline
from pledges.errors import BuildFailed
from pledges.inputs.metadata import read_datapackage
from pledges.validate import report

pytestmark = pytest.mark.slow  # builds or copies the whole package, case after case (make quick leaves it out)

SECRET = "SECRET-TOKEN 4 billion euros\n"


@pytest.fixture
def outside(package):
    """A file outside the package, with what it held."""
    path = package.root.parent / "outside.txt"
    path.write_text(SECRET)
    return path


def refused(package, capsys, *fragments) -> str:
    before = package.outputs()
    status, out, err = package.build(capsys)
    assert status == 1 and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert package.outputs() == before
    assert "SECRET-TOKEN" not in out + err
    return err


# ------------------------------------------------------------------------------- reading through links

@pytest.mark.parametrize("relative", [FACTS, "annotations/regions.yaml", SOURCE_000, "package.yaml",
                                      "schemas/vocabulary.yaml", "schemas/claims.json"])
def test_an_input_that_is_a_link_out_of_the_package_is_refused_never_read(package, capsys, outside, relative):
    (package.root / relative).unlink()
    (package.root / relative).symlink_to(outside)
    refused(package, capsys, relative, "symbolic link")


def test_a_folder_of_inputs_that_is_a_link_is_refused(package, capsys, outside):
    elsewhere = outside.parent / "elsewhere"
    (package.root / "annotations" / "sources").rename(elsewhere)
    (package.root / "annotations" / "sources").symlink_to(elsewhere)
    refused(package, capsys, "annotations/sources")


def test_a_seed_that_is_a_fifo_is_refused_without_waiting_for_it(package):
    seed = package.root / "seeds" / "000_a740679b1ad3bc90.txt"
    seed.unlink()
    os.mkfifo(seed)
    done = subprocess.run([sys.executable, "build.py", "--root", str(package.root)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)  # a hang fails here, never blocks the suite
    assert done.returncode == 1 and "FIFO" in done.stderr and "Traceback" not in done.stderr


def test_a_link_left_in_seeds_is_refused_even_when_no_annotation_names_it(package, capsys, outside):
    (package.root / "seeds" / "009_0000000000000000.txt").symlink_to(outside)
    refused(package, capsys, "seeds/009_0000000000000000.txt", "symbolic link")


def test_the_layer_checks_the_file_it_opened_not_the_name_before(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("inside")
    (tmp_path / "outside.txt").write_text(SECRET)
    real = os.open

    def swapped(path, flags, *args, **kwargs):  # the name is swapped for a link as it is opened
        if path == "a.txt":
            os.unlink("a.txt", dir_fd=kwargs["dir_fd"])
            os.symlink(tmp_path / "outside.txt", "a.txt", dir_fd=kwargs["dir_fd"])
        return real(path, flags, *args, **kwargs)

    files.os.open = swapped
    try:
        with pytest.raises(files.Unsafe, match="symbolic link"):
            files.read_bytes(tmp_path, "seeds/a.txt")
    finally:
        files.os.open = real


# ------------------------------------------------------------------------------- writing through links

def test_a_report_that_is_a_link_is_replaced_never_written_through(tmp_path, outside):
    root = copy_parts(tmp_path / "p", ("reports",))
    (root / "reports" / "validation.json").unlink()
    (root / "reports" / "validation.json").symlink_to(outside)
    report.write_reports(root, {"package": "p", "version": "0", "valid": True, "summary": [], "checks": []})
    assert outside.read_text() == SECRET
    assert not (root / "reports" / "validation.json").is_symlink()


def test_the_reports_folder_as_a_link_is_moved_aside_never_written_into(tmp_path, outside):
    root = tmp_path / "p"
    root.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "reports").symlink_to(elsewhere)
    report.write_reports(root, {"package": "p", "version": "0", "valid": True, "summary": [], "checks": []})
    assert list(elsewhere.iterdir()) == [] and (root / "reports").is_dir() and not (root / "reports").is_symlink()


def test_a_staging_folder_that_is_a_link_is_refused_never_followed(package, capsys, outside):
    elsewhere = outside.parent / "staged"
    (elsewhere / "new").mkdir(parents=True)
    (elsewhere / "READY").write_text("")
    (elsewhere / "new" / "datapackage.json").write_text("{}")
    (package.root / ".build-planted").symlink_to(elsewhere)
    refused(package, capsys, ".build-planted", "named like a staging folder")
    assert (elsewhere / "new" / "datapackage.json").read_text() == "{}"


def test_dist_as_a_link_is_refused_by_serve(package, outside):
    from pledges.publish.serve import prepare

    (package.root / "dist").symlink_to(outside.parent)
    with pytest.raises(files.Unsafe, match="dist"):
        prepare(package.root)
    assert sorted(p.name for p in outside.parent.iterdir() if p.suffix == ".sqlite") == []


def test_a_file_in_dist_that_is_a_link_is_replaced_never_written_through(package, outside):
    from pledges.publish.serve import prepare

    (package.root / "dist").mkdir()
    (package.root / "dist" / "datasette-metadata.json").symlink_to(outside)
    prepare(package.root)
    assert outside.read_text() == SECRET


# ------------------------------------------------------------------------------------ paths from metadata

@pytest.mark.parametrize("old, new", [("  - name: sources\n", "  - name: ../../outside\n"),
                                      ("    schema: claims\n", "    schema: ../../outside\n"),
                                      ("name: big-tech-ai-cloud-pledges-france", "name: ../outside")])
def test_a_name_in_package_yaml_that_would_climb_out_is_refused_at_its_line(package, capsys, old, new):
    package.edit("package.yaml", old, new)
    refused(package, capsys, "package.yaml:", "not a plain name")


@pytest.mark.parametrize("change", ["path", "schema"])
def test_a_datapackage_json_whose_path_leaves_the_package_is_refused_by_every_reader(package, capsys, outside, change):
    descriptor = json.loads((package.root / "datapackage.json").read_text())
    descriptor["resources"][0][change] = "../outside.txt"
    (package.root / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(BuildFailed, match="outside the package's layout"):
        read_datapackage(package.root)
    from pledges.publish.diff import main as diff
    from pledges.validate.run import main as validate

    for command in (validate, lambda argv: diff(["--from", "2.0.0", *argv])):
        assert command(["--root", str(package.root)]) == 1
        assert "SECRET-TOKEN" not in "".join(capsys.readouterr())


def test_make_validate_fails_on_a_package_level_error_frictionless_reports(package):
    from pledges.validate.run import frictionless_outcomes

    descriptor = json.loads((package.root / "datapackage.json").read_text())
    descriptor["keywords"] = "one string, where the profile wants a list"
    (package.root / "datapackage.json").write_text(json.dumps(descriptor))
    outcomes = frictionless_outcomes(package.root, read_datapackage(package.root))
    assert any(o.table == "package" and o.status == "failed" for o in outcomes)


# ------------------------------------------------------------------------------------------------ URLs

@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://x.org/a"])
def test_only_web_addresses_are_accepted_as_a_sources_url(package, capsys, url):
    package.edit(SOURCE_000, 'url: ""', f'url: "{url}"')
    refused(package, capsys, "url is not a web address")


def test_a_page_links_only_web_addresses_whatever_the_table_says():
    from pledges.publish.site import link

    assert link("https://example.org/a") == "https://example.org/a"
    assert link("javascript:alert(1)") == "" and link(" https://x.org") == ""


# ----------------------------------------------------------------------------------------------- cache

def _damage(entry, how: str) -> None:
    data = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif how == "a byte flipped":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif how == "an unsigned pickle":
        import pickle
        entry.write_bytes(pickle.dumps({"rows": {"x": ("stamp", {"claims": [(("x",), "x,y\n")]})}}))
    elif how == "empty":
        entry.write_bytes(b"")


@pytest.mark.parametrize("how", ["truncated", "a byte flipped", "an unsigned pickle", "empty"])
def test_a_damaged_cache_entry_is_dropped_with_a_note_and_the_data_are_a_clean_builds(package, capsys, how):
    assert package.build(capsys)[0] == 0
    clean = package.outputs()
    entries = sorted((package.root / ".cache" / "build").glob("*.pickle"))
    for entry in entries:
        _damage(entry, how)
    status, out, _ = package.build(capsys)
    assert status == 0 and package.outputs() == clean
    assert "failed its check" in out or "could not be read back" in out


def test_a_cache_planted_by_a_commit_or_copied_from_another_checkout_is_never_trusted(package, capsys, tmp_path):
    assert package.build(capsys)[0] == 0
    clean = package.outputs()
    rows = (package.root / "data" / "claims.csv").read_text()
    copy = copy_parts(tmp_path / "other", ("annotations", "seeds", "schemas", "package.yaml", "data",
                                           "datapackage.json"))
    for entry in (package.root / ".cache" / "build").iterdir():  # a cache copied, key and all, as git would
        (copy / ".cache" / "build").mkdir(parents=True, exist_ok=True)
        (copy / ".cache" / "build" / entry.name).write_bytes(entry.read_bytes())
    assert pipeline.main(["--root", str(copy)]) == 0
    assert "failed its check" in capsys.readouterr().out  # the copied key's inode and time are not the copy's
    assert (copy / "data" / "claims.csv").read_text() == rows and package.outputs() == clean


# ------------------------------------------------------------------------------------------ characters

@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\u2066", "\ufeff", "\u00ad"])
def test_a_format_character_is_refused_in_any_yaml_file_at_its_line(package, capsys, char):
    package.edit(SOURCE_000, "publisher: TelecomTV", f"publisher: Telecom{char}TV")
    refused(package, capsys, f"{SOURCE_000}:", "format character", f"U+{ord(char):04X}")


@pytest.mark.parametrize("relative, key", [("annotations/regions.yaml", "    name: "), ("package.yaml", "title: ")])
def test_an_escape_sequence_in_any_yaml_file_is_refused_at_its_line(package, capsys, relative, key):
    text = (package.root / relative).read_text()
    at = text.index("\n" + key) + 1
    line = text[:at].count("\n") + 1
    old = text[at:text.index("\n", at)]
    package.edit(relative, old, key + '"\\e[31mred"')
    refused(package, capsys, f"{relative}:{line}:", "U+001B")


@pytest.mark.parametrize("published", ["1066-10-14", "2300-01-01", "1066-10-14/1066-10-15"])
def test_a_publication_date_outside_the_supported_years_is_refused(package, capsys, published):
    package.edit(SOURCE_000, "published: 2024-05-13", f"published: {published}")
    package.edit(SOURCE_000, "date_basis: stated", "date_basis: inferred") if "/" in published else None
    refused(package, capsys, "published is outside the dates the package supports")


@pytest.mark.parametrize("interval", ["2024-05-12/..", "../2024-05-13", "2024-05-12/", "2024-05/2024-06"])
def test_an_open_or_partial_interval_is_refused_with_a_message(package, capsys, interval):
    package.edit(SOURCE_000, "published: 2024-05-13", f"published: {interval}")
    refused(package, capsys, "published is not a date or an interval of days", "open end")


def test_a_region_code_of_regions_yaml_that_iso_does_not_know_is_refused(package, capsys):
    text = (package.root / "annotations/regions.yaml").read_text()
    code = text.split("code: ")[1].split("\n")[0]
    package.edit("annotations/regions.yaml", f"code: {code}", "code: FR-XYZ")
    refused(package, capsys, "annotations/regions.yaml:", "region FR-XYZ: not an ISO 3166-2 code")


# ------------------------------------------------------------------------------------ crashes and hangs

def test_a_deeply_nested_annotation_is_refused_at_its_line_without_crashing(package, capsys):
    package.edit(SOURCE_000, 'notes: No headline', "notes: " + "[" * 40000 + "]" * 40000)
    refused(package, capsys, f"{SOURCE_000}:", "nested more than")


def test_a_five_thousand_digit_offset_is_a_message(package, capsys):
    start = annotated(SOURCE_000, "c01")["start"]
    package.edit(SOURCE_000, f"start: {start}", "start: " + "9" * 5000)
    refused(package, capsys, "start is not a character offset")


def test_a_yaml_problem_in_package_yaml_names_the_file_and_line(package, capsys):
    package.edit("package.yaml", "title: Big", "title: [Big")
    refused(package, capsys, "package.yaml:")


def test_coverage_of_a_half_megabyte_seed_counts_every_figure(tmp_path):
    """Linear in the seed: every figure of a half-megabyte article is named once (make bench times the
    build at scale)."""
    from pledges.checks.coverage import check_coverage
    from pledges.inputs.records import Source

    line = "The plant will employ 300 workers and cost EUR 40m, with 12 new lines.\n"
    text = line * (500_000 // len(line))
    source = Source(source_id="x", file="a.yaml", seed="x.txt", sha256="", publisher="", title="", language="en",
                    published=None, date_basis="unknown", date_evidence="", author="", url="", notes="",
                    claims=(), not_claims=(), text=text)
    problems: list = []
    counts = check_coverage(source, problems)
    lines = text.count("\n")
    assert counts["figures"] == len(problems) == 3 * lines
    assert problems[-1].where.endswith(f":{lines}")


# -------------------------------------------------------------------------------- whole under interruption

def _sums(root):
    return (root / "dist" / "SHA256SUMS").read_text()


def test_a_release_cut_short_after_its_zip_is_completed_by_the_next_release(tmp_path, monkeypatch):
    from pledges.publish import release

    root = copy_parts(tmp_path / "p", ("data", "datapackage.json", "schemas", "seeds", "README.md", "LICENSE.md",
                                       "CITATION.cff", "CHANGELOG.md", "verify.py"))
    monkeypatch.setattr(release, "check_releasable", lambda root, version: None)
    real = release.sums
    monkeypatch.setattr(release, "sums", lambda root: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        release.release(root)
    zipped = next((root / "dist").glob("*.zip"))
    assert not (root / "dist" / "SHA256SUMS").exists()
    monkeypatch.setattr(release, "sums", real)
    made, repaired = release.release(root)
    assert repaired and zipped.name in _sums(root)
    with pytest.raises(release.Refused, match="released already"):
        release.release(root)


def test_validation_holds_the_lock_from_reading_the_data_to_writing_the_reports(package, monkeypatch):
    from pledges.lock import exclusive
    from pledges.validate import run

    seen = []

    def engine(root, descriptor):
        with pytest.raises(BuildFailed, match="is running"), exclusive(root, "build"):
            pass
        seen.append(True)
        return []

    monkeypatch.setattr(run, "ENGINES", ("frictionless",))
    monkeypatch.setattr(run, "frictionless_outcomes", engine)
    run.main(["--root", str(package.root)])
    assert seen


@pytest.mark.parametrize("step", [1, 2])
def test_reports_interrupted_at_either_rename_are_the_old_pair_or_the_new_pair(tmp_path, monkeypatch, step):
    root = copy_parts(tmp_path / "p", ("reports",))
    old = {p.name: p.read_bytes() for p in (root / "reports").iterdir()}
    real, calls = files.Swap.rename, []

    def interrupted(fd, source, target):
        calls.append(source)
        if len(calls) == step:
            raise KeyboardInterrupt
        real(fd, source, target)

    monkeypatch.setattr(files.Swap, "rename", staticmethod(interrupted))
    new = {"package": "p", "version": "9", "valid": True, "summary": [], "checks": []}
    with pytest.raises(KeyboardInterrupt):
        report.write_reports(root, new)
    pair = {p.name: p.read_bytes() for p in (root / "reports").iterdir()}
    assert pair == old  # neither rename took the new pair in: the old pair is put back whole
    assert not list(root.glob(".reports-*"))


def test_the_workbook_refuses_a_text_longer_than_a_cell_never_cuts_it(package):
    from pledges.publish.workbook import write_workbook

    def read(relative):
        data = (package.root / relative).read_bytes()
        if relative != "data/claims.csv":
            return data
        rows = list(csv.reader(io.StringIO(data.decode())))
        rows[1][rows[0].index("note")] = "x" * 40000
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue().encode()

    with pytest.raises(BuildFailed, match="longer than a workbook cell"):
        write_workbook(package.root, io.BytesIO(), read=read)


def test_verify_refuses_a_table_of_the_release_that_is_a_link(tmp_path, outside):
    import verify

    root = tmp_path / "release"
    copy_parts(root, ("data", "datapackage.json", "schemas", "seeds"))
    table = root / "data" / "claims.csv"
    outside.write_text(table.read_text())
    table.unlink()
    table.symlink_to(outside)
    manifest = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(root).as_posix()}\n"
                       for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink())
    (root / "MANIFEST.sha256").write_text(manifest)
    failures, _ = verify.verify(root)
    assert any("data/claims.csv" in f and ("link" in f or "not a file of the release" in f) for f in failures)


# ---------------------------------------------------------------------------------------- make variables

def test_a_make_variable_is_passed_as_data_never_as_shell_code(tmp_path):
    pwned = tmp_path / "pwned"
    for value in (f"$(shell touch {pwned})", f"1.0.0; touch {pwned}", f"`touch {pwned}`"):
        subprocess.run(["make", "-s", "diff", f"FROM={value}"], cwd=ROOT, capture_output=True, check=False)
        subprocess.run(["make", "-s", "suggest", f"SEED={value}"], cwd=ROOT, capture_output=True, check=False)
    assert not pwned.exists()


def test_zip_of_a_release_holds_no_link_and_no_file_from_outside(tmp_path):
    from pledges.publish.release import zip_bytes

    root = copy_parts(tmp_path / "p", ("data", "datapackage.json", "schemas", "seeds", "README.md", "LICENSE.md",
                                       "CITATION.cff", "CHANGELOG.md", "verify.py"))
    (root / "CHANGELOG.md").unlink()
    (root / "CHANGELOG.md").symlink_to(tmp_path / "elsewhere.md")
    (tmp_path / "elsewhere.md").write_text(SECRET)
    with pytest.raises(files.Unsafe):
        zip_bytes(root, "x")
    (root / "CHANGELOG.md").unlink()
    (root / "CHANGELOG.md").write_text("# Changelog\n")
    names = zipfile.ZipFile(io.BytesIO(zip_bytes(root, "x"))).namelist()
    assert "x/MANIFEST.sha256" in names


# ------------------------------------------------------------------------- the registry and the schemas

def test_importing_the_commands_reads_no_registry_so_a_broken_one_is_each_commands_message(tmp_path):
    """A module that read schemas/vocabulary.yaml on import would stop every command with a traceback
    before its error handling: here the code runs from a copy whose registry is broken."""
    root = copy_parts(tmp_path, ("pledges", "schemas"))
    registry = root / "schemas" / "vocabulary.yaml"
    text = registry.read_text()
    registry.write_text(text.replace("\ncorrectors:", "\ncorrectorz:"))
    line = text[:text.index("\ncorrectors:")].count("\n") + 2
    script = ("import sys\n"
              "import pledges.publish.release, pledges.suggest.evaluate\n"  # imported, nothing read
              "from pledges.pipeline import main as build\n"
              "from pledges.publish.docs import main as docs\n"
              "print('status', build([]), docs([]))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.stdout.split()[-3:] == ["status", "1", "1"] and "Traceback" not in done.stderr, done.stderr
    assert f"schemas/vocabulary.yaml:{line}: unexpected key not in schema 'correctorz'" in done.stderr
    assert "docs stopped: schemas/vocabulary.yaml:" in done.stderr


def test_a_metric_without_its_table_is_named_at_its_line(package):
    from pledges import vocabulary

    registry = package.root / "schemas" / "vocabulary.yaml"
    text = registry.read_text()
    metric = text.index("\nmetrics:\n") + len("\nmetrics:\n")
    name = text[metric:text.index(":", metric)].strip()
    table = text.index("    table: ", metric)
    registry.write_text(text[:table] + text[text.index("\n", table) + 1:])
    line = text[:metric].count("\n") + 1
    with pytest.raises(vocabulary.VocabularyError, match=f"^schemas/vocabulary.yaml:{line}: metric {name}: needs"):
        vocabulary.read(package.root)


@pytest.mark.parametrize("how", ["broken", "link"])
def test_the_vocabulary_command_names_a_broken_or_linked_schema(package, capsys, outside, how):
    from pledges import vocabulary

    schema = package.root / "schemas" / "claims.json"
    schema.unlink()
    if how == "broken":
        schema.write_text('{"fields": [')
    else:
        outside.write_text((ROOT / "schemas" / "claims.json").read_text())
        schema.symlink_to(outside)
    assert vocabulary.main(["--root", str(package.root)]) == 1
    err = capsys.readouterr().err
    assert "schemas/claims.json" in err and ("not valid JSON" if how == "broken" else "symbolic link") in err
    assert "Traceback" not in err and "internal error" not in err
    assert how == "broken" or outside.read_text() == (ROOT / "schemas" / "claims.json").read_text()


def _schema_refused(tmp_path, change, *fragments) -> str:
    from pledges.tables.schemas import load_schema

    root = copy_parts(tmp_path, ("schemas",))
    schema = json.loads((root / "schemas" / "claims.json").read_text())
    change(schema, {f["name"]: f for f in schema["fields"]})
    (root / "schemas" / "claims.json").write_text(json.dumps(schema))
    with pytest.raises(BuildFailed) as failure:
        load_schema(root, "claims")
    message = failure.value.report()
    for fragment in ("schemas/claims.json", *fragments):
        assert fragment in message, message
    return message


@pytest.mark.parametrize("pattern", ["^(.+)+X$", "(a+)+", "(.*)*", "(x|y+)*", "(a{1,5})*b", "(?:[a-z]+-?)*$",
                                     "(a|a)*b", "(a|ab)*c", "(x(y|y))*z", "(a|)*b", "(?i)(?:ab|AB)*$"])
def test_a_pattern_with_nested_repetition_is_refused_before_it_can_hang_the_build(tmp_path, pattern):
    _schema_refused(tmp_path, lambda schema, field: field["subject"]["constraints"].update(pattern=pattern),
                    "field 'subject'", "exponential time")


@pytest.mark.parametrize("pattern", ["a*a*a*a*b", "(a*)(a*)(a*)b", "x*.*y", "[a-z]+[a-z0-9]*!"])
def test_a_pattern_with_repetitions_in_a_row_that_share_characters_is_refused(tmp_path, pattern):
    _schema_refused(tmp_path, lambda schema, field: field["subject"]["constraints"].update(pattern=pattern),
                    "field 'subject'", "a power of a cell's length")


def test_the_schemas_own_delimited_patterns_are_accepted():
    from pledges.tables.schemas import pattern_problem

    for pattern in ("^[a-z0-9]+(-[a-z0-9]+)*$", "^[A-Z]{2}-[A-Z0-9]{1,3}(;[A-Z]{2}-[A-Z0-9]{1,3})*$", "(ab?)*",
                    "(claim|fact|source)+", "(ab|ac)*", "a*b*c", "a+-b+"):
        assert pattern_problem(pattern) == ""


@pytest.mark.parametrize("change, fragments", [
    (lambda s, f: f["note"]["constraints"].update(pattern="(a"), ("field 'note'", "not a regular expression")),
    (lambda s, f: s.update(primaryKey=["nope"]), ("primaryKey", "'nope' is not a field")),
    (lambda s, f: s["foreignKeys"][0].update(fields=["nope"]), ("foreignKeys 1", "'nope' is not a field")),
    (lambda s, f: s.update(foreignKeys=[5]), ("foreignKeys 1", "not an object")),
    (lambda s, f: f["metric"]["constraints"].update(enum="investment"), ("field 'metric'", "not a list of strings")),
    (lambda s, f: f["metric"]["constraints"].update(enum=[1, 2]), ("field 'metric'", "not a list of strings")),
    (lambda s, f: f["quote"]["constraints"].update(minLength="3"), ("field 'quote'", "minLength")),
    (lambda s, f: f["value"]["constraints"].update(minimum="3"), ("field 'value'", "minimum is not a number")),
    (lambda s, f: f["quote"]["constraints"].update(maximum=3), ("field 'quote'", "number and integer fields only")),
    (lambda s, f: f["note"].pop("name"), ("field ", "has no name")),
    (lambda s, f: f["note"].pop("type"), ("field 'note'", "has no type")),
    (lambda s, f: s["fields"].append("a field"), ("has no name",)),
])
def test_a_schema_of_the_wrong_shape_is_named_never_an_internal_error(tmp_path, change, fragments):
    _schema_refused(tmp_path, change, *fragments)


@pytest.mark.parametrize("text", ["evil\u202etxt", "\x1b[2Jwiped", "bell\x07", "zero\u200bwidth"])
def test_a_control_or_format_character_in_a_schemas_text_is_refused(tmp_path, text):
    _schema_refused(tmp_path, lambda schema, field: field["subject"].update(description=text),
                    "field 'subject' (description)", "control or format character", "U+")


def test_a_foreign_key_naming_no_field_of_another_table_is_named(tmp_path):
    from pledges.inputs.metadata import package_metadata
    from pledges.tables.schemas import schemas_of

    root = copy_parts(tmp_path, ("schemas", "package.yaml"))
    schema = json.loads((root / "schemas" / "claims.json").read_text())
    schema["foreignKeys"][0]["reference"]["fields"] = ["nope"]
    (root / "schemas" / "claims.json").write_text(json.dumps(schema))
    with pytest.raises(BuildFailed, match="foreignKeys 1: its reference names no field"):
        schemas_of(root, package_metadata(root))


def test_a_deeply_nested_schema_is_not_valid_json_never_a_crash(tmp_path):
    from pledges.tables.schemas import load_schema

    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "claims.json").write_text("[" * 100000)
    with pytest.raises(BuildFailed, match="not valid JSON"):
        load_schema(tmp_path, "claims")


@pytest.mark.parametrize("entry, below", [('  "bot\\u202eevil\\x1b[2J":\n    means: a bot\n', 0),
                                          ('  "bell\\a":\n    means: a bell\n', 0),
                                          ('  bot:\n    means: "evil\\u202etxt"\n', 1)])
def test_a_control_or_format_character_in_a_registry_key_or_value_is_refused_at_its_line(tmp_path, entry, below):
    from pledges import vocabulary

    root = copy_parts(tmp_path, ("schemas",))
    registry = root / "schemas" / "vocabulary.yaml"
    text = registry.read_text()
    at = text.index("\ncorrectors:\n") + len("\ncorrectors:\n")
    registry.write_text(text[:at] + entry + text[at:])
    line = text[:at].count("\n") + 1 + below
    with pytest.raises(vocabulary.VocabularyError, match=f"^schemas/vocabulary.yaml:{line}: .*U\\+"):
        vocabulary.read(root)


@pytest.mark.parametrize("section, entry, found", [
    ("scopes", '  summit:\n    event: "yes"\n    title: A summit\n    means: a summit\n',
     "scope summit: an event needs"),
    ("scopes", '  summit:\n    event: "yes"\n    country: "FR\' or 1=1"\n    title: A\n    means: a\n',
     "scope summit: an event needs"),
    ("relations", '  extends:\n    inverse: repeats\n    counted: "yes"\n    words: extends\n    means: more\n',
     "relation extends: needs"),
    ("relations", '  extends:\n    counted: "yes"\n    words: extends\n    means: more\n', "relation extends: needs"),
])
def test_a_registry_entry_the_pages_and_the_database_cannot_use_is_refused_at_its_line(tmp_path, section, entry, found):
    """An event without its country (the pages and the database's view would pick different
    pledges), a relation whose inverse is another relation's name or missing."""
    from pledges import vocabulary

    root = copy_parts(tmp_path, ("schemas",))
    registry = root / "schemas" / "vocabulary.yaml"
    text = registry.read_text()
    at = text.index(f"\n{section}:\n") + len(f"\n{section}:\n")
    registry.write_text(text[:at] + entry + text[at:])
    with pytest.raises(vocabulary.VocabularyError, match=f"^schemas/vocabulary.yaml:{text[:at].count(chr(10)) + 1}: "
                                                         f"{found}"):
        vocabulary.read(root)


def test_a_seed_file_name_that_is_not_a_seed_name_is_shown_escaped_never_raw(tmp_path):
    from pledges.inputs.seeds import unannotated

    (tmp_path / "seeds").mkdir()
    forged = "x\x1b[2J\x07\n==> wrote datapackage.json\u202e.txt"
    for name in (forged, "009_0123456789abcdef.txt", "README.md"):
        (tmp_path / "seeds" / name).write_text("text\n")
    notes = unannotated(tmp_path, [])
    assert len(notes) == 2 and notes[0].startswith("seeds/009_0123456789abcdef.txt has no annotation yet")
    assert repr(forged) in notes[1] and "not a seed name" in notes[1]
    assert not any(c in "".join(notes) for c in "\x1b\x07\n\u202e")


# ---------------------------------------------------------------------------------------- CITATION.cff

INJECTED = "Microsoft\nrepository-code: https://evil.example/\nx-keywords:\n  - Amazon, AWS"


def test_citation_cff_is_emitted_as_yaml_so_no_value_can_add_a_key():
    import yaml

    from pledges.publish.docs import citation_cff

    meta = {"title": 'A "title": with # marks', "description": "One\nparagraph.", "version": "3.0.0",
            "date": "2026-12-02", "keywords": INJECTED, "licenses": [{"name": "CC-BY-4.0"}],
            "contributors": [{"title": "Someone\nlicense: none"}]}
    cff = yaml.safe_load(citation_cff(meta))
    assert list(cff) == ["cff-version", "message", "type", "title", "abstract", "authors", "version",
                         "date-released", "license", "keywords"]
    assert cff["keywords"] == [INJECTED.split(",")[0], "AWS"] and cff["title"] == meta["title"]
    assert cff["authors"] == [{"name": "Someone\nlicense: none"}] and cff["license"] == "CC-BY-4.0"


@pytest.mark.parametrize("key, value", [("keywords", json.dumps(INJECTED)), ("title", '"Big\\tTech"'),
                                        ("version", '"3.0.0\\nx: 1"')])
def test_a_line_break_in_a_one_line_value_of_package_yaml_is_refused_at_its_line(tmp_path, key, value):
    from pledges.inputs.metadata import package_metadata

    root = copy_parts(tmp_path, ("package.yaml",))
    text = (root / "package.yaml").read_text()
    at = text.index(f"\n{key}: ") + 1
    line = text[:at].count("\n") + 1
    (root / "package.yaml").write_text(text[:at] + f"{key}: {value}" + text[text.index("\n", at):])
    with pytest.raises(BuildFailed, match=f"package.yaml:{line}: {key} holds a (line break|tab)"):
        package_metadata(root)


# ---------------------------------------------------------------------------------------------- make eval

@pytest.mark.parametrize("relative", ["evaluation/floors.yaml", "evaluation/corpus.yaml"])
def test_make_eval_refuses_an_evaluation_file_that_is_a_link(tmp_path, relative):
    from pledges.suggest.corpus import read_texts
    from pledges.suggest.evaluate import read_floors

    root = copy_parts(tmp_path / "p", ("evaluation",))
    outside = tmp_path / "outside.yaml"
    outside.write_text((root / relative).read_text())
    (root / relative).unlink()
    (root / relative).symlink_to(outside)
    with pytest.raises(files.Unsafe, match=f"^{relative}: a symbolic link"):
        read_floors(root) if relative.endswith("floors.yaml") else read_texts(root, relative)


# ------------------------------------------------------------------------------------------- make diff

def _zip(root, members: dict[str, bytes]) -> None:
    (root / "dist").mkdir(exist_ok=True)
    with zipfile.ZipFile(root / "dist" / "p-1.0.0.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_diff_refuses_a_zip_member_larger_unpacked_than_it_reads_as_its_header_says(tmp_path, monkeypatch):
    from pledges.publish import diff

    monkeypatch.setattr(diff, "MAX_FILE", 1 << 20)
    _zip(tmp_path, {"p-1.0.0/data/links.csv": b"0" * (2 << 20)})  # 2 MB of zeros: a 2 KB bomb
    with pytest.raises(LookupError, match="dist/p-1.0.0.zip: p-1.0.0/data/links.csv: 2097152 bytes unpacked"):
        diff.previous_file(tmp_path, "p", "1.0.0")("data/links.csv")


def test_diff_reads_no_more_than_its_limit_of_a_zip_member_whose_header_lies(tmp_path, monkeypatch):
    from pledges.publish import diff

    monkeypatch.setattr(diff, "MAX_FILE", 1 << 20)
    _zip(tmp_path, {"data/links.csv": b"0" * (2 << 20)})
    zipped = tmp_path / "dist" / "p-1.0.0.zip"
    data = bytearray(zipped.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the central directory's entry: its uncompressed size, made small
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    zipped.write_bytes(bytes(data))
    with pytest.raises(LookupError, match="dist/p-1.0.0.zip: data/links.csv: cannot be unpacked"):
        diff.previous_file(tmp_path, "p", "1.0.0")("data/links.csv")


def test_diff_reads_no_more_than_its_total_of_an_earlier_version(tmp_path, monkeypatch):
    from pledges.publish import diff

    monkeypatch.setattr(diff, "MAX_FILE", 1 << 20)
    monkeypatch.setattr(diff, "MAX_TOTAL", 3 << 19)  # 1.5 MB: two members of 1 MB are more
    _zip(tmp_path, {"data/a.csv": b"0" * (1 << 20), "data/b.csv": b"0" * (1 << 20)})
    read = diff.previous_file(tmp_path, "p", "1.0.0")
    assert len(read("data/a.csv")) == 1 << 20
    with pytest.raises(LookupError, match="data/b.csv: 1048576 bytes unpacked"):
        read("data/b.csv")


def test_diff_reads_no_more_than_its_limit_of_a_file_in_the_git_history(tmp_path, monkeypatch):
    from pledges.publish import diff

    monkeypatch.setattr(diff, "MAX_FILE", 1000)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "links.csv").write_bytes(b"x" * 5000)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "data"], ["commit", "-q", "-m", "big"], ["tag", "v1.0.0"]):
        subprocess.run([*git, *args], cwd=tmp_path, check=True, capture_output=True)
    read = diff.previous_file(tmp_path, "p", "1.0.0")
    with pytest.raises(LookupError, match="git v1.0.0:data/links.csv: more than 1000 bytes"):
        read("data/links.csv")
    assert read("data/nothing.csv") is None


def test_diff_shows_control_and_format_characters_of_a_cell_escaped_on_the_terminal():
    from pledges.publish.diff import diff_table

    forged = "ok\x1b[2J\x07\u202eevil\nline"
    old = io.StringIO()
    csv.writer(old, lineterminator="\n").writerows([["id", "note"], ["1", forged]])
    changed = diff_table("links", "id", old.getvalue().encode(), b"id,note\n1,new\n")
    assert changed.changed == 1
    for raw in ("\x1b[2J", "\x07", "\u202e", "\nline"):
        assert raw not in changed.terminal
    assert "ok\\x1b[2J\\x07\\u202eevil\\nline" in changed.terminal
    assert any(forged in cell["text"] for row in changed.rows for cell in row["cells"])  # the page escapes it


def test_a_refused_name_is_shown_with_its_control_characters_escaped(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "x\x1b[2J\x07.txt").symlink_to(tmp_path / "nowhere")
    with pytest.raises(files.Unsafe) as refused:
        files.listing(tmp_path, "seeds")
    assert str(refused.value).startswith("seeds/x\\x1b[2J\\x07.txt: a symbolic link")


# ----------------------------------------------------------------------------------------------- verify.py

def _damaged_release(tmp_path, capsys, relative: str, damage) -> str:
    import verify

    root = copy_parts(tmp_path, ("data", "datapackage.json", "schemas", "seeds"))
    (root / "MANIFEST.sha256").write_text("")
    path = root / relative
    damaged = damage(path.read_text())
    path.write_bytes(damaged if isinstance(damaged, bytes) else damaged.encode())
    assert verify.main(["verify.py", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def _short_row(text: str) -> str:
    lines = text.split("\n")
    lines[1] = lines[1].split(",")[0]
    return "\n".join(lines)


def _long_field(text: str) -> str:
    lines = text.split("\n")
    lines[1] = '"' + "x" * 140000 + '"' + lines[1][lines[1].index(","):]
    return "\n".join(lines)


@pytest.mark.parametrize("relative, damage, message", [
    ("data/claims.csv", _short_row, "verify: data/claims.csv: line 2: 1 fields, its header has"),
    ("data/claims.csv", _long_field, "verify: data/claims.csv: line 2: "),
    ("data/claims.csv", lambda text: "claim_id,quote\n", "verify: data/claims.csv: no column source_id"),
    ("data/sources.csv", lambda text: text.encode() + b"\xff\n", "verify: data/sources.csv: not UTF-8 text"),
    ("datapackage.json", lambda text: '{"resources": [5]}', "verify: datapackage.json: resource 1 is not an object"),
    ("datapackage.json", lambda text: "[" * 100000, "verify: datapackage.json: not JSON"),
    ("datapackage.json", lambda text: "[]", "verify: datapackage.json: no list of resources"),
])
def test_verify_names_a_damaged_file_of_the_release_never_a_traceback(tmp_path, capsys, relative, damage, message):
    err = _damaged_release(tmp_path, capsys, relative, damage)
    assert message in err, err
    assert damage is not _long_field or "131072" in err  # csv's limit, or verify's own where a library raised csv's


def test_verify_names_a_claim_whose_offsets_are_not_offsets(tmp_path, capsys):
    def damage(text: str) -> str:
        header, first = text.split("\n")[:2]
        cells = next(csv.reader([first]))
        cells[header.split(",").index("quote_start")] = "-1"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(cells)
        return text.replace(first + "\n", out.getvalue(), 1)

    err = _damaged_release(tmp_path, capsys, "data/claims.csv", damage)
    assert "are not character offsets" in err and "verify: " in err
