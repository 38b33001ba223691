"""Uploads that let wrong figures in or bury the real mistakes (issue #10)."""

from __future__ import annotations

import subprocess
import sys

from metrics.ingest import check_file, load_file
from metrics.ingest.template import template_rows, to_csv
from metrics.periods.text import parse_period
from metrics.store.queries import series, uploads
from tests.conftest import ROOT


def load(store, charter, text: str, **kw):
    return load_file(store, charter, "r.csv", text.encode(), by="t", **kw)


def test_template_rows_left_as_they_came_are_skipped_with_one_note(store, charter):
    rows = template_rows(charter, parse_period("2025-26 Q4"))
    rows[0]["value"] = "fifty"  # two real mistakes among the unused rows
    rows[1]["value"] = "-3"
    rows[2]["value"] = "12"
    report = load_file(store, charter, "t.csv", to_csv(rows), by="t")
    assert report.outcome == "rejected"
    assert [e.row for e in report.errors] == [2, 3]  # the 2 real errors, not 200+ others
    unused = len(rows) - 3
    assert f"{unused:,} template rows left empty" in " ".join(report.notes)


def test_a_template_row_with_only_a_status_is_still_checked(store, charter):
    report = load(
        store, charter, "indicator,period,value,status\nshort-breaks-receiving,2024-25 Q1,,final\n"
    )
    assert report.outcome == "rejected" and "The value is missing" in report.errors[0].problem


def test_a_worked_out_figure_is_stored_rounded_and_resending_is_unchanged(store, charter):
    text = "indicator,period,numerator,denominator\nehcp-issued-20-weeks,2024-25 Q1,52,66\n"
    first = load(store, charter, text)  # no value column at all: worked out
    assert first.outcome == "loaded"
    assert series(store, "ehcp-issued-20-weeks", "E99000001")[0].value == 78.8
    again = load(store, charter, text)
    assert again.outcome == "no change" and again.revisions == []


def test_the_cli_preview_prints_rounded_values(tmp_path):
    db = tmp_path / "o.duckdb"
    run = [sys.executable, "-m", "metrics"]
    first = tmp_path / "a.csv"
    first.write_text("indicator,period,value\nehcp-issued-20-weeks,2024-25 Q1,70.0\n")
    subprocess.run([*run, "load", str(first), "--db", str(db)], cwd=ROOT, check=True)
    second = tmp_path / "b.csv"
    second.write_text(
        "indicator,period,numerator,denominator\nehcp-issued-20-weeks,2024-25 Q1,52,66\n"
    )
    out = subprocess.run(
        [*run, "load", str(second), "--dry-run", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    assert "70 -> 78.8" in out


def test_the_preview_lists_every_figure_added_and_revised(demo_store, charter):
    ours = series(demo_store, "ehcp-issued-20-weeks", charter.council.code)
    stored = next(r.value for r in ours if r.period == "2026-27 Q2")  # the demo's figure
    assert stored != 77.0
    text = (
        "indicator,period,value\n"
        "short-breaks-receiving,2021-22 Q3,430\n"
        "ehcp-issued-20-weeks,2026-27 Q2,77.0\n"
    )
    report = check_file(demo_store, charter, "p.csv", text.encode())
    assert [(a.row, a.indicator_id, a.period, a.value) for a in report.additions] == [
        (2, "short-breaks-receiving", "2021-22 Q3", 430)
    ]
    [rev] = report.revisions
    assert (rev.row, rev.old_value, rev.new_value) == (3, stored, 77.0)


def test_implausible_figures_must_be_confirmed(demo_store, charter):
    latest = series(demo_store, "short-breaks-receiving", "E99000001")[-1]
    typo = f"1{int(latest.value):03d}"  # "1,413" typed for 413
    text = f"indicator,period,value\nshort-breaks-receiving,{latest.period},{typo}\n"
    report = check_file(demo_store, charter, "typo.csv", text.encode())
    [warning] = report.warnings
    assert warning.row == 2 and "far outside the usual range" in warning.message
    refused = load(demo_store, charter, text, reason="correction")
    assert refused.outcome == "rejected" and "Check this figure" in refused.errors[0].problem
    assert series(demo_store, "short-breaks-receiving", "E99000001")[-1].value == latest.value
    stored = load(demo_store, charter, text, reason="correction", confirmed=True)
    assert stored.outcome == "loaded"
    logged = uploads(demo_store)[0]  # who confirmed what is in the upload log
    assert logged["upload_id"] == stored.upload_id
    assert logged["message"].endswith("; 1 unusual figure confirmed by t")


def test_a_fraction_typed_for_a_percentage_is_questioned(store, charter):
    report = check_file(
        store, charter, "f.csv", b"indicator,period,value\nehcp-issued-20-weeks,2024-25 Q1,0.738\n"
    )
    [warning] = report.warnings
    assert "looks like a fraction" in warning.message and "enter 73.8" in warning.message


def test_a_large_change_on_the_period_before_is_questioned(store, charter):
    text = (
        "indicator,period,value\n"
        "short-breaks-receiving,2024-25 Q1,400\n"
        "short-breaks-receiving,2024-25 Q2,900\n"
    )
    report = check_file(store, charter, "c.csv", text.encode())
    [warning] = report.warnings
    assert warning.period == "2024-25 Q2" and "125% up on 2024-25 Q1" in warning.message


def test_an_unusual_figure_sent_again_unchanged_is_not_asked_about_again(store, charter):
    """Issue 27 item 21: confirming is for a new or changed figure, not one already stored."""
    text = "indicator,period,value,status\nehcp-issued-20-weeks,2024-25 Q1,0.738,provisional\n"
    assert load(store, charter, text, confirmed=True).outcome == "loaded"
    final = text.replace("provisional", "final")
    report = check_file(store, charter, "f.csv", final.encode())
    assert report.warnings == []
    assert load(store, charter, final).outcome == "loaded"  # no --confirm needed
    changed = final.replace("0.738", "0.739")
    assert len(check_file(store, charter, "g.csv", changed.encode()).warnings) == 1


def test_provisional_to_final_is_not_shown_as_a_revision_with_a_change_of_nothing(store, charter):
    """Issue 27 item 21: the preview says why a figure whose value stays is a new version."""
    from ui.upload_view import changes

    text = "indicator,period,value,status\nehcp-issued-20-weeks,2024-25 Q1,70.0,provisional\n"
    load(store, charter, text)
    report = check_file(store, charter, "f.csv", text.replace("provisional", "final").encode())
    assert (report.revised, report.figures_changed) == (1, 0)
    [row] = changes(report, charter)
    assert row["Change"] == "none: status provisional to final"


def test_a_revision_of_the_counts_or_note_alone_shows_them_before_and_after(store, charter):
    """The value stays 78.8 when 52 of 66 becomes 104 of 132, and a note may change alone:
    each preview (the command line's and the upload page's) said "78.8 -> 78.8" or "note
    only", hiding what would be stored. It shows what changes, before and after."""
    from metrics.ingest.load_report import revision_words
    from ui.upload_view import changes

    head = "indicator,period,numerator,denominator,note\n"
    load(store, charter, head + "ehcp-issued-20-weeks,2024-25 Q1,52,66,first count\n")
    recounted = head + "ehcp-issued-20-weeks,2024-25 Q1,104,132,first count\n"
    [rev] = check_file(store, charter, "n.csv", recounted.encode()).revisions
    said = "78.8 -> 78.8; numerator 52 -> 104; denominator 66 -> 132"
    assert revision_words(rev) == said
    [row] = changes(check_file(store, charter, "n.csv", recounted.encode()), charter)
    assert row["Change"] == "none: numerator 52 to 104; denominator 66 to 132"
    renoted = head + "ehcp-issued-20-weeks,2024-25 Q1,52,66,recounted by hand\n"
    [rev] = check_file(store, charter, "m.csv", renoted.encode()).revisions
    assert revision_words(rev) == "78.8 -> 78.8; note 'first count' -> 'recounted by hand'"


def test_figures_found_unusual_only_at_storing_are_not_confirmed_unseen(store, charter):
    """The page showed no unusual figure; another analyst then stored the period before, so
    the file's figure became a 125% rise. Storing with the preview the page kept was logged
    as '1 unusual figure confirmed by' someone who never saw it; it is refused for checking."""
    q2 = "indicator,period,value\nshort-breaks-receiving,2024-25 Q2,900\n"
    assert load(store, charter, "indicator,period,value\nshort-breaks-receiving,2024-25 Q1,880\n"
                ).outcome == "loaded"  # fmt: skip
    shown = check_file(store, charter, "q2.csv", q2.encode(), log_as="Ann Analyst")
    assert shown.warnings == []
    revised = "indicator,period,value\nshort-breaks-receiving,2024-25 Q1,400\n"
    assert load(store, charter, revised, reason="recount", confirmed=True).ok  # the other one
    for confirmed in (False, True):  # what the page passed, before and after the mend
        stored = load_file(store, charter, "q2.csv", q2.encode(), by="Ann Analyst",
                           confirmed=confirmed, checked=shown)  # fmt: skip
        assert stored.outcome == "rejected", confirmed
        assert "Check this figure" in stored.errors[0].problem
    assert not any("confirmed by Ann" in u["message"] for u in uploads(store))


def test_every_preview_says_counts_added_as_such(store, charter):
    """The same figure with the counts it lacked: `load`'s preview said "counts added", the
    imports' previews (import-ees, import-lait) "revise", for the same figure: all three now
    print one line (load_report.revision_line)."""
    from metrics.ingest.load_report import revision_line

    load(store, charter, "indicator,period,value\nehcp-issued-20-weeks,2024-25 Q1,78.8\n")
    given = "indicator,period,numerator,denominator\nehcp-issued-20-weeks,2024-25 Q1,52,66\n"
    [rev] = check_file(store, charter, "c.csv", given.encode()).revisions
    assert revision_line(rev) == (
        f"counts added: ehcp-issued-20-weeks 2024-25 Q1 {charter.council.code}: "
        "78.8 -> 78.8; numerator none -> 52; denominator none -> 66"
    )
    recount = given.replace("52,66", "104,132")
    load(store, charter, given)
    [rev] = check_file(store, charter, "r.csv", recount.encode()).revisions
    assert revision_line(rev).startswith("revise: ehcp-issued-20-weeks 2024-25 Q1 ")
