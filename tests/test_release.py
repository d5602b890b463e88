"""make release and make diff, used as a maintainer and a reader would use them."""

import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlite_utils
from conftest import ROOT, SOURCE_000, copy_parts
from frictionless import validate

from pledges.inputs.metadata import package_metadata
from pledges.publish import diff, release

pytestmark = pytest.mark.slow

PARTS = ("annotations", "seeds", "schemas", "package.yaml", "build.py", "pledges", "data", "datapackage.json",
         "README.md", "LICENSE.md", "CITATION.cff", "CHANGELOG.md", "verify.py")
NAME = "big-tech-ai-cloud-pledges-france"
VERSION = package_metadata(ROOT)["version"]


def checkout(path):
    """A committed git checkout of the package, as a maintainer has."""
    copy_parts(path, PARTS)
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "package")
    return path


def git(path, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *args], cwd=path, check=True)


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    root = checkout(tmp_path_factory.mktemp("released"))
    assert release.main(["--root", str(root)]) == 0
    return root


def unzipped(released: Path, into: Path) -> Path:
    with zipfile.ZipFile(released / f"dist/{NAME}-{VERSION}.zip") as archive:
        names = archive.namelist()
        assert all(n.startswith(f"{NAME}-{VERSION}/") for n in names)  # one top folder: nothing spills out
        archive.extractall(into)
    return into / f"{NAME}-{VERSION}"


def test_release_unzips_into_one_folder_that_is_a_valid_data_package(released, tmp_path):
    folder = unzipped(released, tmp_path)
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    assert {"README.md", "LICENSE.md", "CITATION.cff", "CHANGELOG.md", "verify.py", "schemas/claims.json"} <= {
        p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    with open(folder / "data/sources.csv", encoding="utf-8", newline="") as f:
        assert all((folder / row["seed_file"]).is_file() for row in csv.DictReader(f))  # the evidence travels


def run_python_blocks(readme: str) -> dict:
    """Run every ```python block of a README, in order, in one scope (in the current folder)."""
    scope: dict = {}
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks
    for block in blocks:
        exec(block, scope)
    return scope


def assert_typed(tables: dict, folder: Path) -> None:
    assert set(tables) == {r["name"] for r in json.loads((folder / "datapackage.json").read_text())["resources"]}
    assert str(tables["pledges"]["announced"].dtype).startswith("datetime64")
    assert str(tables["investments"]["amount_eur"].dtype) == "Int64"
    assert str(tables["pledges"]["in_totals"].dtype) == "boolean"
    assert tables["claims"]["country"].notna().any()  # a country code "NA" would survive keep_default_na=False


def test_every_csv_loads_typed_with_the_readme_snippet(released, tmp_path, monkeypatch):
    folder = unzipped(released, tmp_path)
    monkeypatch.chdir(folder)
    assert_typed(run_python_blocks((ROOT / "README.md").read_text(encoding="utf-8"))["tables"], folder)


def test_the_release_loads_typed_in_pandas_and_duckdb_from_its_own_readme(released, tmp_path, monkeypatch, capsys):
    folder = unzipped(released, tmp_path)
    monkeypatch.chdir(folder)
    scope = run_python_blocks((folder / "README.md").read_text(encoding="utf-8"))
    assert_typed(scope["tables"], folder)
    with open(folder / "data/pledges.csv", encoding="utf-8", newline="") as f:
        expected = sorted(r["fact_id"] for r in csv.DictReader(f) if r["kind"] == "pledge")
    assert [row[0] for row in scope["pledges"]] == expected


def test_the_release_cites_its_own_version_everywhere(released, tmp_path):
    folder = unzipped(released, tmp_path)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == VERSION
    assert f"version: {VERSION}" in (folder / "CITATION.cff").read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert f"version {VERSION}" in readme.splitlines()[0] and f"(version {VERSION}, " in readme
    assert set(re.findall(r"[Vv]ersion (\S+?)[,.]?\s", readme)) == {VERSION}  # no other version named


def test_verify_passes_on_the_unzipped_release_and_names_an_altered_quote(released, tmp_path):
    folder = unzipped(released, tmp_path)
    done = subprocess.run([sys.executable, "verify.py"], cwd=folder, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("verified:"), done.stderr
    with open(folder / "data/claims.csv", encoding="utf-8", newline="") as f:
        claim = next(csv.DictReader(f))
    seed = folder / "seeds" / f"{claim['source_id']}.txt"
    text = seed.read_text(encoding="utf-8")
    at = int(claim["quote_start"])
    seed.write_text(text[:at] + ("X" if text[at] != "X" else "Y") + text[at + 1:], encoding="utf-8")
    failed = subprocess.run([sys.executable, "verify.py"], cwd=folder, capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    assert f"claim {claim['claim_id']}: quote" in failed.stderr and f"source {claim['source_id']}:" in failed.stderr


def test_verify_names_a_planted_file_without_sending_its_control_characters_to_the_terminal(released, tmp_path):
    folder = unzipped(released, tmp_path)
    (folder / "data" / "evil\x1b]0;owned\x07\u202ename.csv").write_text("x\n", encoding="utf-8")
    failed = subprocess.run([sys.executable, "verify.py"], cwd=folder, capture_output=True, text=True, check=False)
    assert failed.returncode == 1 and "data/evil\\u001b]0;owned\\u0007\\u202ename.csv: not a file" in failed.stderr
    assert not any(c in failed.stderr for c in "\x1b\x07\u202e"), failed.stderr


@pytest.mark.parametrize("relative", ["schemas/claims.json", "datapackage.json", "README.md", "LICENSE.md"])
def test_verify_fails_naming_any_changed_file_of_the_release(released, tmp_path, relative):
    folder = unzipped(released, tmp_path)
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    changed = text.replace('"type": "integer"', '"type": "number"', 1) if relative.startswith("schemas/") \
        else text + "\n"
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    failed = subprocess.run([sys.executable, "verify.py"], cwd=folder, capture_output=True, text=True, check=False)
    assert failed.returncode == 1 and relative in failed.stderr, failed.stderr


def test_checksums_list_each_artefact_once(released):
    lines = (released / "dist/SHA256SUMS").read_text().splitlines()
    assert sorted(line.split("  ")[1] for line in lines) == sorted(f"{NAME}-{VERSION}{s}" for s in (".zip", ".sqlite",
                                                                                                    ".xlsx"))
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((released / "dist" / name).read_bytes()).hexdigest() == digest


def test_database_is_typed_with_keys_and_full_text_search_on_quotes(released):
    db = sqlite_utils.Database(released / f"dist/{NAME}-{VERSION}.sqlite")
    assert db["claims"].pks == ["claim_id"] and db["pledges"].pks == ["fact_id"]
    assert {(fk.column, fk.other_table) for fk in db["claims"].foreign_keys} == {("source_id", "sources"), ("fact_id",
                                                                                                            "pledges")}
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db["investments"].columns_dict["amount_eur"] is int  # money as INTEGER, not REAL
    assert {t for (t,) in db.execute("select distinct typeof(amount_eur) from investments")} == {"integer"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for (d,) in db.execute("select announced from investments"))
    quotes = {cid for cid, quote in db.execute("select claim_id, quote from claims") if re.search(r"\bmiliardi\b",
                                                                                                  quote)}
    found = db.execute("select claim_id from claims where rowid in "
                       "(select rowid from claims_fts where claims_fts match 'miliardi')").fetchall()
    assert quotes and {cid for (cid,) in found} == quotes
    db.conn.execute("PRAGMA foreign_keys = ON")
    first = db.execute("select claim_id from claims limit 1").fetchone()[0]
    with pytest.raises(Exception, match="FOREIGN KEY"):
        db.conn.execute("update claims set source_id = 'nope' where claim_id = ?", [first])


def test_the_headline_view_lists_the_pledges_the_pages_and_readme_lead_with(released):
    """One rule picks them (Vocabulary.leads, in lead_order): the database's view holds the same."""
    from pledges import vocabulary

    terms = vocabulary.read(released)
    with open(released / "data/pledges.csv", newline="", encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    expected = [r["fact_id"] for r in sorted((r for r in rows if terms.leads(r)), key=terms.lead_order)]
    db = sqlite_utils.Database(released / f"dist/{NAME}-{VERSION}.sqlite")
    assert expected and [fact for (fact,) in db.execute("select fact_id from headline_pledges")] == expected


def _where_rows_are(book, package: dict, folder: Path) -> None:
    """Every table is a sheet, or every one of its rows is in the sheet its README line names."""
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True) if row[0]}
    for resource in package["resources"]:
        if resource["name"] in book.sheetnames:
            continue
        host = re.search(r"of sheet (\w+)", readme[f"Table {resource['name']}"])[1]
        header = [c.value for c in book[host][1]]
        key = json.loads((folder / resource["schema"]).read_text())["primaryKey"][0]
        in_sheet = {row[header.index(key)] for row in book[host].iter_rows(min_row=2, values_only=True)}
        with open(folder / resource["path"], newline="", encoding="utf-8") as table:
            assert {row[key] for row in csv.DictReader(table)} <= in_sheet, resource["name"]


def test_workbook_has_a_readme_and_a_typed_sheet_per_table(released):
    """A sheet per table, but a table whose rows are another's (a topic table's are pledges'): its
    rows are in that sheet, every one of them, and the README sheet says where."""
    import openpyxl

    book = openpyxl.load_workbook(released / f"dist/{NAME}-{VERSION}.xlsx")
    package = json.loads((released / "datapackage.json").read_text())
    assert book.sheetnames[0] == "README"
    assert set(book.sheetnames) <= {"README", *(r["name"] for r in package["resources"])}
    _where_rows_are(book, package, released)
    sheet = book["investments"]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert isinstance(row[header.index("amount_eur")], int)
    assert row[header.index("announced")].__class__.__name__ == "datetime"


def test_a_topic_table_listed_before_pledges_leaves_every_pledge_in_the_workbook():
    """The order of package.yaml does not decide which table is whole: pledges keeps its sheet."""
    import io

    import openpyxl

    from pledges import files
    from pledges.publish.workbook import write_workbook

    package = json.loads((ROOT / "datapackage.json").read_text())
    topic = next(r for r in package["resources"] if r["schema"] == "schemas/pledges.json" and r["name"] != "pledges")
    package["resources"].remove(topic)
    package["resources"].insert(0, topic)

    def read(relative: str) -> bytes:
        return json.dumps(package).encode() if relative == "datapackage.json" else files.read_bytes(ROOT, relative)
    buffer = io.BytesIO()
    write_workbook(ROOT, buffer, read=read)
    book = openpyxl.load_workbook(buffer)
    assert "pledges" in book.sheetnames
    with open(ROOT / "data/pledges.csv", newline="", encoding="utf-8") as table:
        assert book["pledges"].max_row - 1 == len(list(csv.DictReader(table)))
    _where_rows_are(book, package, ROOT)


def test_a_cell_that_reads_as_a_formula_stays_text_in_the_workbook(tmp_path):
    """A quote may begin with "=", "+" or "@" (a seed is any article): the workbook keeps it as text."""
    import io

    import openpyxl

    from pledges.publish.workbook import write_workbook

    root = copy_parts(tmp_path, ("data", "schemas", "datapackage.json"))
    path = root / "data" / "claims.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    at = rows[0].index("quote")
    rows[1][at] = '=HYPERLINK("http://example.invalid","click")'
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    write_workbook(root, tmp_path / "book.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "book.xlsx")["claims"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("quote") + 1)
    assert (cell.value, cell.data_type) == (rows[1][at], "s")


def test_second_release_of_the_same_version_refuses(released, capsys):
    assert release.main(["--root", str(released)]) == 1
    assert f"version {VERSION} is released already" in capsys.readouterr().err


def test_release_refuses_uncommitted_data(tmp_path, capsys):
    root = checkout(tmp_path)
    (root / "data/gpus.csv").write_text("edited\n")
    assert release.main(["--root", str(root)]) == 1
    assert "uncommitted changes in the package" in capsys.readouterr().err
    assert not (root / "dist").exists()


def test_release_refuses_committed_data_that_differ_from_a_fresh_build(tmp_path, capsys):
    root = checkout(tmp_path)
    path = root / "data/gpus.csv"
    path.write_text(path.read_text().replace("25000", "26000"))
    git(root, "commit", "-qam", "edit by hand")
    assert release.main(["--root", str(root)]) == 1
    assert "the committed data differ from a fresh build: data/gpus.csv" in capsys.readouterr().err


def test_diff_shows_a_real_change_since_a_release(released, tmp_path, capsys):
    from pledges import pipeline

    released = Path(shutil.copytree(released, tmp_path / "changed"))  # leave the shared release as it was
    text = (released / SOURCE_000).read_text()
    assert text.count("qualifier: up_to") == 1
    (released / SOURCE_000).write_text(text.replace("qualifier: up_to", "qualifier: about"))
    assert pipeline.main(["--root", str(released)]) == 0
    capsys.readouterr()
    assert diff.main(["--from", VERSION, "--root", str(released)]) == 0
    out = capsys.readouterr().out
    changed = {line.split(":")[0][4:]: line for line in out.splitlines() if line.startswith("==> ")}
    assert "0 added, 0 removed, 0 changed" in changed["sources"]  # the edit touched no source row
    assert "0 changed" not in changed["claims"]
    page = (released / f"dist/diff-{VERSION}-{VERSION}.html").read_text()
    assert 'class="modify"' in page and "up_to→about" in page and "000_a740679b1ad3bc90-c02" in page


def test_diff_from_an_unknown_version_says_so(released, capsys):
    assert diff.main(["--from", "0.0.1", "--root", str(released)]) == 1
    assert "version 0.0.1 not found" in capsys.readouterr().err


def test_diff_finds_an_earlier_version_in_the_git_history_without_a_tag_or_a_zip(tmp_path, capsys):
    from pledges import pipeline

    root = checkout(tmp_path / "clone")
    package_yaml = root / "package.yaml"
    package_yaml.write_text(package_yaml.read_text().replace(f"version: {VERSION}", "version: 99.0.0"))
    text = (root / SOURCE_000).read_text()
    (root / SOURCE_000).write_text(text.replace("qualifier: up_to", "qualifier: about"))
    assert pipeline.main(["--root", str(root)]) == 0
    git(root, "commit", "-qam", "next version")
    capsys.readouterr()
    assert not (root / "dist").exists()
    assert diff.main(["--from", VERSION, "--root", str(root)]) == 0
    assert "up_to→about" in (root / f"dist/diff-{VERSION}-99.0.0.html").read_text()
