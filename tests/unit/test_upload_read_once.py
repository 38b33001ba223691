"""A return checked once and stored from what was checked (issue 34): the upload page keeps
check_file's report and stores the rows it checked without reading the file again, but only
for the very same bytes, charter and provider, on the same day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from charter import load_charter
from metrics.ingest import check_file, load_file
from metrics.ingest.checked import Checked
from metrics.store.queries import series, uploads

HEADER = "indicator,period,value,area,breakdown,group,numerator,denominator,status,note"
FILE = f"{HEADER}\nshort-breaks-receiving,2024-25 Q1,41,,,,,,,sent once\n".encode()
OTHER = f"{HEADER}\nshort-breaks-receiving,2024-25 Q1,43,,,,,,,sent twice\n".encode()


def test_the_checked_rows_are_stored_as_a_fresh_read_would_store_them(store, charter):
    preview = check_file(store, charter, "r.csv", FILE, log_as="t")
    assert preview.outcome == "preview" and preview.checked is not None
    stored = load_file(store, charter, "r.csv", FILE, by="t", checked=preview)
    assert stored.outcome == "loaded" and stored.added == 1
    assert stored.notes == preview.notes  # "Read 1 row from the file; all were checked."
    [figure] = series(store, "short-breaks-receiving", "E99000001")
    assert figure.value == 41
    log = uploads(store)[0]
    assert (log["outcome"], log["rows_in_file"], log["added"]) == ("loaded", 1, 1)


def test_a_check_of_other_bytes_is_never_stored_in_their_place(store, charter):
    preview = check_file(store, charter, "r.csv", FILE, log_as="t")
    stored = load_file(store, charter, "r.csv", OTHER, by="t", checked=preview)
    assert stored.outcome == "loaded"
    [figure] = series(store, "short-breaks-receiving", "E99000001")
    assert figure.value == 43  # the bytes stored are read, not the other file's check


def test_a_check_stands_only_for_the_same_file_charter_provider_and_day(store, charter):
    preview = check_file(store, charter, "r.csv", FILE, log_as="t")
    kept = preview.checked
    assert isinstance(kept, Checked)
    assert kept.serves(kept.sha256, charter, None)
    assert not kept.serves("0" * 64, charter, None)
    assert not kept.serves(kept.sha256, load_charter(), None)  # a charter reloaded since
    assert not kept.serves(kept.sha256, charter, "some-provider")
    yesterday = replace(kept, day=date.today() - timedelta(days=1))  # a period may end
    assert not yesterday.serves(kept.sha256, charter, None)


def test_a_rejected_file_keeps_no_rows_to_store(store, charter):
    bad = f"{HEADER}\nshort-breaks-receiving,2024-25 Q1,fifty,,,,,,,\n".encode()
    report = check_file(store, charter, "r.csv", bad, log_as="t")
    assert report.outcome == "rejected" and report.checked is None


def test_a_group_unknown_to_two_spellings_of_one_breakdown_is_one_error_a_row(store, charter):
    text = (
        f"{HEADER}\n"
        "short-breaks-receiving,2024-25 Q1,4,,Locality,Nrth,,,,\n"
        "short-breaks-receiving,2024-25 Q2,5,,locality,Nrth,,,,\n"
    )
    report = load_file(store, charter, "r.csv", text.encode(), by="t")
    unknown = [e for e in report.errors if e.problem.startswith("Unknown locality group")]
    assert [e.row for e in unknown] == [2, 3]
    assert unknown[0].fix.startswith("Did you mean 'North'? Use one of: North, South")


def test_a_repeated_figure_is_found_among_many_rows(store, charter):
    rows = [f"short-breaks-receiving,2024-25 Q1,{i},E0600000{i % 9 + 1},,,,,," for i in range(36)]
    report = load_file(store, charter, "r.csv", "\n".join([HEADER, *rows]).encode(), by="t")
    repeats = [e for e in report.errors if "appears more than once" in e.problem]
    assert len(repeats) == 27  # 9 areas, each first at rows 2-10 and repeated thrice
    assert repeats[0].row == 11 and "(first at row 2)" in repeats[0].problem


def test_the_preview_is_taken_only_while_the_store_is_as_it_was(store, charter):
    """Storing takes the preview's comparison and unusual figures instead of asking again,
    but only while no write has changed the store since (checked.Preview)."""
    preview = check_file(store, charter, "r.csv", FILE, log_as="t")
    kept = preview.checked.preview if preview.checked else None
    assert kept is not None and (kept.added, kept.revised, kept.unchanged) == (1, 0, 0)
    with store.connect() as con:
        assert kept.stands(con)
    load_file(store, charter, "o.csv", OTHER, by="t")  # another upload stores the figure
    with store.connect() as con:
        assert not kept.stands(con) and kept.diff(con) is None


def test_a_preview_made_stale_by_another_upload_is_asked_again(store, charter):
    preview = check_file(store, charter, "r.csv", FILE, log_as="t")
    assert preview.added == 1  # new when previewed
    load_file(store, charter, "o.csv", OTHER, by="t")  # then someone stores 43 for it
    stored = load_file(store, charter, "r.csv", FILE, by="t", checked=preview)
    # Now a revision of the stored 43 (which needs a reason), not a second new figure.
    assert stored.outcome == "rejected" and "give a reason" in stored.errors[0].problem
    [figure] = series(store, "short-breaks-receiving", "E99000001")
    assert figure.value == 43
    revised = load_file(store, charter, "r.csv", FILE, by="t", checked=preview, reason="fixed")
    assert (revised.outcome, revised.added, revised.revised) == ("loaded", 0, 1)
    [figure] = series(store, "short-breaks-receiving", "E99000001")
    assert figure.value == 41
