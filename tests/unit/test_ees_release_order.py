"""Release order (issue 14, item 2): each published figure knows the release it came from (the
end of the newest period its file covers), and an older release never silently overwrites a
newer one: it may add what the newer one lacks, and revises only with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from charter import CHARTER_DIR
from charter.ees_models import load_mapping
from metrics.access import audit, command_line
from metrics.ingest.published.ees import EesError, import_ees
from metrics.store.connection import Store
from metrics.store.queries import series, uploads
from tests.conftest import EXTRACTS, database_at
from tests.unit.test_ees_releases import england_rows, mapping_file, refused

BUDGETS = [{"indicator": "personal-budgets-in-place", "value": "n"}]
NEWER = england_rows(
    "n", ["2020|Calendar year|9", "2021|Calendar year|12", "2022|Calendar year|14"]
)
OLDER = england_rows("n", ["2019|Calendar year|8", "2020|Calendar year|9", "2021|Calendar year|10"])
EES = EXTRACTS / "ees"


def stored(store) -> dict[str, float | None]:
    return {r.period: r.value for r in series(store, "personal-budgets-in-place", "E92000001")}


@pytest.fixture
def newer_stored(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, BUDGETS)
    assert import_ees(store, charter, "2023.csv", NEWER, m, by="t").outcome == "imported"
    return m


def test_an_older_release_cannot_revise_what_a_newer_one_stored(store, charter, newer_stored):
    report = import_ees(store, charter, "2022.csv", OLDER, newer_stored, by="t")
    why = refused(report)
    assert "an older release than figures already stored" in why
    assert "its periods run to 31 December 2021" in why
    assert (
        "1 figure it would revise came from a release whose periods run to 31 December 2022" in why
    )
    assert '--older-release "why"' in report.errors[0].fix
    assert stored(store) == {"2020": 9.0, "2021": 12.0, "2022": 14.0}  # 2019 not added either
    assert uploads(store)[0]["outcome"] == "rejected"


def test_the_preview_says_so_too(store, charter, newer_stored):
    report = import_ees(store, charter, "2022.csv", OLDER, newer_stored, by="t", dry_run=True)
    assert report.outcome == "rejected" and report.older == 1


def test_an_older_release_may_add_what_the_newer_one_lacks(store, charter, newer_stored):
    agreeing = england_rows("n", ["2019|Calendar year|8", "2021|Calendar year|12"])
    report = import_ees(store, charter, "2022.csv", agreeing, newer_stored, by="t")
    assert (report.outcome, report.added, report.revised, report.unchanged) == (
        "imported",
        1,
        0,
        1,
    )
    assert stored(store) == {"2019": 8.0, "2020": 9.0, "2021": 12.0, "2022": 14.0}


def test_an_older_release_revises_on_purpose_with_the_reason_kept(store, charter, newer_stored):
    why = "The 2023 release's 2021 figure was withdrawn by DfE"
    report = import_ees(store, charter, "2022.csv", OLDER, newer_stored, by="t", older_release=why)
    assert (report.outcome, report.added, report.revised) == ("imported", 1, 1)
    rows = {r.period: r for r in series(store, "personal-budgets-in-place", "E92000001")}
    assert rows["2021"].value == 10.0
    assert rows["2021"].revision_reason == f"An older release, imported on purpose: {why}"
    entries = audit.entries(store, command_line())
    imported = next(e for e in entries if e.kind == "published import")
    assert why in imported.summary


def test_an_empty_reason_is_not_a_reason(store, charter, newer_stored):
    with pytest.raises(EesError, match="give the reason"):
        import_ees(store, charter, "2022.csv", OLDER, newer_stored, by="t", older_release="  ")


def test_a_newer_release_revises_an_older_one_as_before(store, charter, tmp_path):
    m = mapping_file(tmp_path, charter, BUDGETS)
    import_ees(store, charter, "2022.csv", OLDER, m, by="t")
    report = import_ees(store, charter, "2023.csv", NEWER, m, by="t")
    assert (report.outcome, report.revised) == ("imported", 1)
    assert stored(store)["2021"] == 12.0


def test_each_import_records_the_release_it_came_from(store, charter):
    """The real 2022 and 2023 releases: the 2022 one is older, and agrees with the 2023 one on
    every year both hold (at the indicators' decimals), so importing it after changes nothing."""
    for folder, mapping in (
        ("ehcp-2023-release", "sen2-mi-2023"),
        ("ehcp-2022-release", "sen2-mi"),
    ):
        m = load_mapping(CHARTER_DIR / "ees" / f"{mapping}.yaml", charter)
        content = (EES / folder / "sen2_mi.csv").read_bytes()
        report = import_ees(store, charter, f"{folder}.csv", content, m, by="t")
        assert report.ok, [e.as_text() for e in report.errors]
    second, first = uploads(store)[:2]
    assert first["release_end"] == date(2022, 12, 31) and first["outcome"] == "loaded"
    assert second["release_end"] == date(2021, 12, 31) and second["outcome"] == "no change"
    rows = series(store, "ehcp-issued-20-weeks", "E92000001")
    assert {r.release_end for r in rows} == {date(2022, 12, 31)}


def test_imports_made_before_releases_were_recorded_are_dated_by_their_newest_figure(tmp_path):
    path = tmp_path / "old.duckdb"
    con = database_at(path, 6)
    con.execute(
        "INSERT INTO uploads VALUES (1, 'sen2_mi.csv', 'x', 'Old Analyst', TIMESTAMP "
        "'2025-05-01', 'published', 'loaded', 2, 2, 0, 0, 0, NULL, NULL, 'DfE', '2 added')"
    )
    con.execute(
        "INSERT INTO periods VALUES ('2020', 'calendar_year', '2020-01-01', '2020-12-31'), "
        "('2021', 'calendar_year', '2021-01-01', '2021-12-31')"
    )
    for n, period in enumerate(("2020", "2021"), start=1):
        con.execute(
            "INSERT INTO observations VALUES (?, 'personal-budgets-in-place', ?, 'E92000001', "
            "'', '', 5, NULL, NULL, NULL, 'final', NULL, 1, false, NULL, 'published')",
            [n, period],
        )
    con.close()
    assert uploads(Store(path))[0]["release_end"] == date(2021, 12, 31)
