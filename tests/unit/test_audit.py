"""The audit trail: every write adds a row naming the person, in the write's own transaction;
nothing in the code base can change or remove a row."""

from __future__ import annotations

import re
from datetime import datetime

import duckdb
import psycopg
import pytest

from metrics.access import ANALYST, Actor, audit, command_line
from metrics.ingest import check_file, load_file
from metrics.ingest.published.ees import import_ees
from metrics.store.connection import Store
from metrics.store.queries import current_count, uploads
from tests.conftest import EXTRACTS, ROOT, database_at

ANA = Actor("ana-sub", "Ana Analyst", "ana@council.example", "app", frozenset({ANALYST}))
FIRST = b"indicator,period,value\nshort-breaks-receiving,2021-22 Q3,430\n"
REVISED = b"indicator,period,value\nshort-breaks-receiving,2021-22 Q3,431\n"
BAD = b"indicator,period,value\nshort-breaks-receiving,2021-22 Q3,lots\n"


def trail(store: Store) -> list[audit.AuditRow]:
    return list(reversed(audit.entries(store, command_line())))  # oldest first


def test_an_accepted_upload_names_the_signed_in_person(store, charter):
    report = load_file(store, charter, "q3.csv", FIRST, by=ANA)
    [row] = trail(store)
    assert (row.subject, row.name, row.email, row.via) == (
        "ana-sub",
        "Ana Analyst",
        "ana@council.example",
        "app",
    )
    assert row.kind == "upload" and row.object == f"upload {report.upload_id}: q3.csv"
    assert row.summary.startswith("1 added, 0 revised")
    assert isinstance(row.at, datetime)


def test_rejected_uploads_from_the_page_and_the_command_line_are_audited(store, charter):
    check_file(store, charter, "bad.csv", BAD, log_as=ANA)  # the upload page's check
    load_file(store, charter, "bad2.csv", BAD, by="Sam")  # the command line, --user Sam
    first, second = trail(store)
    assert (first.kind, first.name, first.via) == ("upload rejected", "Ana Analyst", "app")
    assert (second.kind, second.name, second.via) == ("upload rejected", "Sam", "cli")
    assert second.subject == command_line().subject  # the operating-system user
    assert "bad2.csv" in second.object and "Rejected" in second.summary


def test_each_revised_figure_is_audited_with_its_value_before_and_after(store, charter):
    load_file(store, charter, "q3.csv", FIRST, by=ANA)
    report = load_file(store, charter, "q3b.csv", REVISED, by=ANA, reason="Recount")
    rows = trail(store)
    assert [r.kind for r in rows] == ["upload", "upload", "figure revised"]
    upload_row, figure = rows[1], rows[2]
    assert "Reason: Recount" in upload_row.summary
    assert figure.object == "short-breaks-receiving, 2021-22 Q3, E99000001"
    assert figure.summary == f"Revised by upload {report.upload_id}: Recount"
    assert (figure.before, figure.after) == ("430.0 (final)", "431.0 (final)")
    assert figure.name == "Ana Analyst"


def test_a_revision_without_a_reason_is_refused_and_audited_as_refused(store, charter):
    load_file(store, charter, "q3.csv", FIRST, by=ANA)
    report = load_file(store, charter, "q3b.csv", REVISED, by=ANA)
    assert report.outcome == "rejected"
    assert [r.kind for r in trail(store)] == ["upload", "upload rejected"]


def test_no_figure_changes_when_its_audit_row_cannot_be_written(store, charter):
    nameless = Actor("x", None, "", "app", frozenset({ANALYST}))  # type: ignore[arg-type]
    # The backend's own refusal of the NULL name (DuckDB's or PostgreSQL's constraint error).
    with pytest.raises((duckdb.ConstraintException, psycopg.errors.IntegrityError)):
        load_file(store, charter, "q3.csv", FIRST, by=nameless)
    assert current_count(store) == 0 and uploads(store) == [] and trail(store) == []


def test_published_imports_are_audited(store, charter):
    from charter.ees_models import load_mapping, shipped_mappings

    release = EXTRACTS / "ees" / "ehcp-2022-release" / "sen2_mi.csv"
    mapping = load_mapping(next(p for p in shipped_mappings() if p.name == "sen2-mi.yaml"), charter)
    import_ees(store, charter, "bad.csv", b"a,b\n1,2\n", mapping, by=ANA)
    import_ees(store, charter, "sen2_mi.csv", release.read_bytes(), mapping, by=ANA)
    rows = trail(store)
    assert [r.kind for r in rows] == ["published import rejected", "published import"]
    assert all(r.name == "Ana Analyst" for r in rows)


def test_filters(store, charter):
    load_file(store, charter, "q3.csv", FIRST, by=ANA)
    load_file(store, charter, "bad.csv", BAD, by="Sam")
    reader = command_line()
    assert [r.name for r in audit.entries(store, reader, who="ana@council.example")] == [
        "Ana Analyst"
    ]
    assert [r.kind for r in audit.entries(store, reader, kind="upload rejected")] == [
        "upload rejected"
    ]
    [found] = audit.entries(store, reader, text="BAD.CSV")
    assert found.object.endswith("bad.csv")
    assert audit.entries(store, reader, since=datetime(2100, 1, 1)) == []
    kinds, people, total = audit.choices(store, reader)
    assert kinds == ["upload", "upload rejected"] and people == ["Ana Analyst", "Sam"]
    assert total == 2


def test_earlier_rows_never_change_as_later_writes_happen(store, charter):
    load_file(store, charter, "q3.csv", FIRST, by=ANA)
    before = trail(store)
    load_file(store, charter, "q3b.csv", REVISED, by=ANA, reason="Recount")
    check_file(store, charter, "bad.csv", BAD, log_as=ANA)
    after = trail(store)
    assert after[: len(before)] == before and len(after) == len(before) + 3


# Statements that change or remove rows: none may name the audit table or its sequence.
CHANGES = re.compile(
    r"\b(UPDATE|DELETE\s+FROM|DROP\s+(TABLE|SEQUENCE)|ALTER\s+TABLE|TRUNCATE|"
    r"INSERT\s+OR\s+REPLACE\s+INTO|CREATE\s+OR\s+REPLACE\s+TABLE)\s+(\w+\.)?audit\w*\b",
    re.IGNORECASE,
)


def python_files() -> list:
    folders = ["metrics", "charter", "ui", "pages", "bench"]
    return [ROOT / "app.py", *(p for f in folders for p in (ROOT / f).rglob("*.py"))]


def test_no_code_can_change_or_remove_an_audit_row():
    offenders = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in python_files()
        for m in CHANGES.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_only_the_audit_module_and_the_schema_write_to_the_audit_table():
    writers = {
        str(path.relative_to(ROOT))
        for path in python_files()
        if re.search(r"INSERT\s+INTO\s+audit\b", path.read_text(encoding="utf-8"), re.I)
    }
    assert writers == {"metrics/store/audit.py", "metrics/store/schema.py"}


def test_the_scan_can_fail():
    assert CHANGES.search("con.execute('DELETE FROM audit WHERE audit_id = 1')")
    assert CHANGES.search("UPDATE audit SET name = 'x'")
    assert CHANGES.search("drop table  main.audit")
    assert not CHANGES.search("UPDATE observations SET superseded_by = 1")


def test_uploads_made_before_the_audit_trail_become_its_first_rows(tmp_path):
    path = tmp_path / "old.duckdb"
    con = database_at(path, 3)
    con.execute(
        "INSERT INTO uploads VALUES (7, 'old.csv', 'x', 'Old Analyst', TIMESTAMP '2025-05-01',"
        " 'return', 'loaded', 1, 1, 0, 0, 0, NULL, NULL, 'return: old.csv', '1 added')"
    )
    con.close()
    [row] = trail(Store(path))
    assert (row.name, row.via, row.kind, row.object) == (
        "Old Analyst",
        "before sign-in",
        "upload",
        "upload 7: old.csv",
    )
    assert row.at == datetime(2025, 5, 1)


def test_a_revision_of_the_counts_or_the_note_alone_says_what_changed(store, charter):
    """Clearing a figure's note, or a reasoned change of 49 of 67 to 98 of 134 (the same
    73.1%), was audited as '73.1 (provisional)' before and after (found by a review)."""
    first = ("indicator,period,value,numerator,denominator,note\n"
             "ehcp-issued-20-weeks,2024-25 Q1,73.1,49,67,Two files late\n")  # fmt: skip
    load_file(store, charter, "a.csv", first.encode(), by=ANA)
    counts = first.replace("49,67", "98,134")
    load_file(store, charter, "b.csv", counts.encode(), by=ANA, reason="Recount")
    cleared = counts.replace("Two files late", "-")
    load_file(store, charter, "c.csv", cleared.encode(), by=ANA)
    by_counts, by_note = [r for r in trail(store) if r.kind == "figure revised"]
    assert (by_counts.before, by_counts.after) == ("73.1 (final) from 49 of 67",
                                                   "73.1 (final) from 98 of 134")  # fmt: skip
    assert (by_note.before, by_note.after) == ("73.1 (final); note: Two files late",
                                               "73.1 (final); note: none")  # fmt: skip


def test_a_revision_of_counts_too_large_for_a_whole_number_type_is_audited(store, charter):
    """Counts of 2^63 or more (which the checks accept) made the audit's words fail (a cast
    to BIGINT), so the figure could not be revised at all."""
    first = ("indicator,period,value,numerator,denominator\n"
             "ehcp-issued-20-weeks,2024-25 Q1,50,1e19,2e19\n")  # fmt: skip
    assert load_file(store, charter, "a.csv", first.encode(), by=ANA).ok
    again = first.replace("1e19,2e19", "2e19,4e19")
    assert load_file(store, charter, "b.csv", again.encode(), by=ANA, reason="Recount").ok
    [row] = [r for r in trail(store) if r.kind == "figure revised"]
    assert "from" in row.before and "from" in row.after


def test_counts_added_to_an_unchanged_figure_are_not_a_revision(store, charter):
    """73.1% sent first without its counts, then with the 49 of 67 it was worked out from:
    the figure is the same, so no reason is asked for, the upload says counts added (not
    revised), the audit row is 'counts added' and the figure is not marked revised. A later
    change of the counts themselves is still a revision."""
    from metrics.store.queries import series

    ind, council = "ehcp-issued-20-weeks", charter.council.code
    bare = "indicator,period,value\nehcp-issued-20-weeks,2024-25 Q1,73.1\n"
    assert load_file(store, charter, "a.csv", bare.encode(), by=ANA).ok
    counts = ("indicator,period,value,numerator,denominator\n"
              "ehcp-issued-20-weeks,2024-25 Q1,73.1,49,67\n")  # fmt: skip
    report = load_file(store, charter, "b.csv", counts.encode(), by=ANA)  # no reason given
    assert report.outcome == "loaded" and report.figures_changed == 0
    assert report.summary() == "Loaded: 0 added, 0 revised, 1 with counts added, 0 unchanged."
    rows = trail(store)
    assert [r.kind for r in rows] == ["upload", "upload", "counts added"]
    added = rows[2]
    assert added.summary == f"Counts added by upload {report.upload_id}: the figure is unchanged"
    assert (added.before, added.after) == ("73.1 (final)", "73.1 (final) from 49 of 67")
    [figure] = [r for r in series(store, ind, council) if r.period == "2024-25 Q1"]
    assert (figure.numerator, figure.denominator, figure.revised) == (49, 67, False)
    recount = counts.replace("49,67", "98,134")
    refused = load_file(store, charter, "c.csv", recount.encode(), by=ANA)
    assert refused.outcome == "rejected" and refused.figures_changed == 1


def test_counts_added_with_a_new_status_or_note_is_a_revision(store, charter):
    """73.1% provisional without counts, then 73.1% final with its 49 of 67: the status
    changed, so it is a revision (as a status change alone is), said and marked so
    everywhere, though no reason is asked (the figure itself is the same). The same for a
    new note. It was 'counts added: the figure is unchanged', not marked revised, while the
    series marked it R."""
    from metrics.store.queries import series

    bare = "indicator,period,value,status\nehcp-issued-20-weeks,2024-25 Q1,73.1,provisional\n"
    assert load_file(store, charter, "a.csv", bare.encode(), by=ANA).ok
    final = ("indicator,period,value,numerator,denominator,status\n"
             "ehcp-issued-20-weeks,2024-25 Q1,73.1,49,67,final\n")  # fmt: skip
    report = load_file(store, charter, "b.csv", final.encode(), by=ANA)  # no reason given
    assert report.outcome == "loaded" and report.figures_changed == 0
    assert report.summary() == "Loaded: 0 added, 1 revised, 0 unchanged."
    assert [r.kind for r in trail(store)][-1] == "figure revised"
    [figure] = series(store, "ehcp-issued-20-weeks", charter.council.code)
    assert figure.revised
    bare = "indicator,period,value\nehcp-issued-20-weeks,2024-25 Q2,73.1\n"
    assert load_file(store, charter, "c.csv", bare.encode(), by=ANA).ok
    noted = ("indicator,period,value,numerator,denominator,note\n"
             "ehcp-issued-20-weeks,2024-25 Q2,73.1,49,67,Checked\n")  # fmt: skip
    report = load_file(store, charter, "d.csv", noted.encode(), by=ANA)
    assert report.summary() == "Loaded: 0 added, 1 revised, 0 unchanged.", report.summary()


def test_a_note_changed_after_counts_were_added_still_marks_the_figure_revised(store, charter):
    """Only an earlier version with fewer counts is passed over in saying a figure is
    revised: a version the same in everything but its note still counts, as before."""
    from metrics.store.queries import series

    bare = "indicator,period,value,note\nehcp-issued-20-weeks,2024-25 Q1,73.1,Late\n"
    assert load_file(store, charter, "a.csv", bare.encode(), by=ANA).ok
    noted = bare.replace("Late", "Two files late")
    assert load_file(store, charter, "b.csv", noted.encode(), by=ANA).ok
    [figure] = series(store, "ehcp-issued-20-weeks", charter.council.code)
    assert figure.revised
