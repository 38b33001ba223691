"""Partners' returns (issue 15): a provider's own layout, sending only its own indicators,
submit then accept or return (audited), and data quality (completeness, timeliness, rating)
for a generated quarter."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from metrics.access import AccessDenied, audit, command_line
from metrics.access.people import PROVIDER, Actor
from metrics.partners import submissions as submissions_module
from metrics.partners.quality import CONCERNS, GOOD, POOR, quality
from metrics.partners.submissions import (
    ACCEPTED,
    RETURNED,
    SubmissionError,
    accept,
    return_to_provider,
    submissions,
    submit,
)
from metrics.store.queries import series, uploads

QUARTER = "2026-27 Q2"  # July to September 2026; due 28 October (20 working days)
HEALTH = Actor("priya", "Priya Shah", "priya.shah@wrenfieldhealth.example", "app",
               frozenset({PROVIDER}), "community-health")  # fmt: skip
BREAKS = Actor("tom", "Tom Okafor", "tom.okafor@brightside.example", "app",
               frozenset({PROVIDER}), "short-breaks-trust")  # fmt: skip
FORUM = Actor("jo", "Jo Bennett", "jo.bennett@wrenfieldpcf.example", "app",
              frozenset({PROVIDER}), "parent-carer-forum")  # fmt: skip
HEADER = ["Measure", "Reporting Quarter", "Locality", "Result", "Comments"]


def kpi_extract(rows: list[list[object]], sheet: str = "KPI extract") -> bytes:
    """The health trust's export: their sheet, column names, measure names and localities."""
    book = Workbook()
    book.active.title = "Notes"
    data = book.create_sheet(sheet)
    data.append(HEADER)
    for row in rows:
        data.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_EXTRACT = [
    ["ASD assessment median wait (wks)", "Q2 26/27", "All localities", 31, ""],
    ["ASD assessment waiting list", "Q2 26/27", "All localities", 212, ""],
    ["ASD assessment waiting list", "Q2 26/27", "WN", 48, ""],
    ["ASD assessment waiting list", "Q2 26/27", "WS", "*", "small number"],
]


def test_a_providers_own_layout_is_read_through_its_mapping(store, charter):
    report = submit(store, charter, "community-health", "kpi.xlsx", kpi_extract(GOOD_EXTRACT),
                    by=HEALTH, at=datetime(2026, 10, 20, 9))  # fmt: skip
    assert report.outcome == "submitted", [e.as_text() for e in report.errors]
    assert report.added == 4 and report.sheet == "KPI extract"
    assert any("Read through the layout" in n for n in report.notes)
    [sub] = submissions(store, provider="community-health")
    assert {(i.indicator_id, i.period, i.figures) for i in sub.items} == {
        ("autism-assessment-median-wait", QUARTER, 1),
        ("autism-assessment-waiting", QUARTER, 3),
    }
    assert series(store, "autism-assessment-waiting", charter.council.code) == []  # not yet


def test_errors_name_the_providers_own_columns_and_rows(store, charter):
    rows = [*GOOD_EXTRACT, ["ASD assessment waiting list", "Q9 26/27", "WX", "lots", ""]]
    report = submit(store, charter, "community-health", "kpi.xlsx", kpi_extract(rows), by=HEALTH)
    assert report.outcome == "rejected"
    shown = {(e.row, e.column) for e in report.errors}
    assert (6, "Reporting Quarter") in shown and (6, "Result") in shown
    assert (6, "Locality") in shown  # "WX" is not one of their localities we know
    assert uploads(store)[0]["outcome"] == "rejected"


def test_a_missing_sheet_or_column_is_said_in_the_providers_terms(store, charter):
    report = submit(store, charter, "community-health", "kpi.xlsx",
                    kpi_extract(GOOD_EXTRACT, sheet="Sheet2"), by=HEALTH)  # fmt: skip
    assert "no sheet named 'KPI extract'" in report.errors[0].problem
    assert "'Notes', 'Sheet2'" in report.errors[0].problem


def test_a_column_the_layout_reads_sent_twice_is_refused(store, charter):
    """Their export with 'Result' twice: one would be stored and the other dropped without a
    word (the later one was). Refused, naming the column and where it is."""
    book = Workbook()
    data = book.active
    data.title = "KPI extract"
    data.append([*HEADER, "Result"])
    data.append(["SLT median wait (wks)", "Q2 26/27", "All localities", 8.5, "", 99])
    out = io.BytesIO()
    book.save(out)
    report = submit(store, charter, "community-health", "kpi.xlsx", out.getvalue(), by=HEALTH)
    assert report.outcome == "rejected" and not submissions(store, provider="community-health")
    assert "The column 'Result' appears 2 times (columns 4, 6)" in report.errors[0].problem


def test_a_provider_cannot_send_another_providers_indicator(store, charter):
    csv = b"indicator,period,value\nshort-breaks-receiving,2026-27 Q2,140\n"
    report = submit(store, charter, "community-health", "mine.csv", csv, by=HEALTH)
    assert report.outcome == "rejected"
    problem = report.errors[0].problem
    assert "short-breaks-receiving is supplied by Brightside Short Breaks" in problem
    entry = audit.entries(store, command_line())[0]
    assert entry.kind == "submission rejected" and entry.name == "Priya Shah"


def test_a_provider_cannot_send_for_another_provider(store, charter):
    with pytest.raises(AccessDenied, match="they send for community-health"):
        submit(store, charter, "short-breaks-trust", "x.csv", b"indicator,period,value\n",
               by=HEALTH)  # fmt: skip


def test_submit_then_accept_stores_the_figures_and_is_audited(store, charter):
    report = submit(store, charter, "community-health", "kpi.xlsx", kpi_extract(GOOD_EXTRACT),
                    by=HEALTH)  # fmt: skip
    with pytest.raises(AccessDenied):
        accept(store, charter, report.upload_id, by=HEALTH)  # a provider cannot accept
    stored = accept(store, charter, report.upload_id, by="Ana Analyst")
    assert stored.outcome == "loaded" and stored.added == 4
    [sub] = submissions(store)
    assert (sub.state, sub.decided_by, sub.stored_upload) == (ACCEPTED, "Ana Analyst",
                                                               stored.upload_id)  # fmt: skip
    groups = series(store, "autism-assessment-waiting", charter.council.code, "locality")
    waiting = {r.group: (r.value, r.symbol) for r in groups}
    assert waiting == {"North": (48.0, None), "South": (None, "c")}
    kinds = [e.kind for e in audit.entries(store, command_line())]
    assert kinds[:3] == ["submission accepted", "upload", "submission"]
    with pytest.raises(SubmissionError, match="already accepted by Ana Analyst"):
        accept(store, charter, report.upload_id, by="Ana Analyst")


def test_a_submission_sent_back_while_it_is_accepted_stores_nothing(store, charter, monkeypatch):
    """Storing the figures and marking the submission accepted are one transaction: when
    another analyst sends it back between this one's look and the storing, neither happens
    (the provider is never told to resend figures that are already stored)."""
    report = submit(store, charter, "community-health", "kpi.xlsx", kpi_extract(GOOD_EXTRACT),
                    by=HEALTH)  # fmt: skip
    real_load = submissions_module.load_file

    def sent_back_first(*args, **kwargs):  # the other analyst's click lands in between
        return_to_provider(store, report.upload_id, "North is missing its note", by="Bo")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(submissions_module, "load_file", sent_back_first)
    with pytest.raises(SubmissionError, match=r"returned by Bo at the same moment.*Nothing"):
        accept(store, charter, report.upload_id, by="Ana Analyst")
    assert series(store, "autism-assessment-waiting", charter.council.code) == []
    [sub] = submissions(store)
    assert (sub.state, sub.decided_by, sub.stored_upload) == (RETURNED, "Bo", None)
    kinds = [e.kind for e in audit.entries(store, command_line())]
    assert "submission accepted" not in kinds and kinds[0] == "submission returned"


def test_submit_then_return_keeps_the_reason_for_the_provider(store, charter):
    report = submit(store, charter, "community-health", "kpi.xlsx", kpi_extract(GOOD_EXTRACT),
                    by=HEALTH)  # fmt: skip
    with pytest.raises(SubmissionError, match="Say why"):
        return_to_provider(store, report.upload_id, "  ", by="Ana Analyst")
    back = return_to_provider(store, report.upload_id, "North is missing its note", by="Ana")
    assert (back.state, back.reason) == (RETURNED, "North is missing its note")
    assert series(store, "autism-assessment-waiting", charter.council.code) == []
    entry = audit.entries(store, command_line())[0]
    assert (entry.kind, entry.before, entry.after) == ("submission returned", "submitted",
                                                        "returned")  # fmt: skip


def _health_on(store, charter, day: date) -> None:
    report = submit(store, charter, "community-health", "kpi.xlsx", kpi_extract(GOOD_EXTRACT),
                    by=HEALTH, at=datetime.combine(day, datetime.min.time()))  # fmt: skip
    accept(store, charter, report.upload_id, by="Ana Analyst")


def test_completeness_and_timeliness_of_a_quarter(store, charter):
    """Health sends on time (autism figures only), the short-breaks charity late, the parent
    carer forum not at all."""
    _health_on(store, charter, date(2026, 10, 20))
    late = b"indicator,period,value\nshort-breaks-receiving,2026-27 Q2,140\n"
    sent = submit(store, charter, "short-breaks-trust", "sb.csv", late, by=BREAKS,
                  at=datetime(2026, 11, 4, 10))  # fmt: skip
    accept(store, charter, sent.upload_id, by="Ana Analyst")
    q = quality(store, charter, QUARTER, today=date(2026, 11, 26))
    state = {(r.provider, r.indicator_id): (r.state, r.days_late) for r in q.returns}
    assert state[("community-health", "autism-assessment-waiting")] == ("on time", 0)
    assert state[("community-health", "speech-therapy-median-wait")] == ("overdue", 21)
    assert state[("short-breaks-trust", "short-breaks-receiving")] == ("late", 10)
    assert state[("parent-carer-forum", "consultation-participation")] == ("overdue", 21)
    assert ("short-breaks-trust", "short-breaks-satisfaction") not in state  # annual, not due
    assert q.by_provider()["community-health"] == {
        "expected": 3, "received": 2, "on time": 2, "late": 0, "overdue": 1}  # fmt: skip
    assert ("speech-therapy-median-wait", QUARTER) in q.missing_figures
    assert q.missing_breakdowns["autism-assessment-waiting"] == ["age_band", "sex"]
    who = {p.indicator_id: (p.provider, p.recorded_by) for p in q.provenance}
    assert who["short-breaks-receiving"] == ("short-breaks-trust", "Ana Analyst")
    assert {r.provider for r in q.overdue()} == {"community-health", "parent-carer-forum"}


def test_the_rating_changes_when_a_return_is_late(store, charter, tmp_path):
    on_time = store
    _health_on(on_time, charter, date(2026, 10, 20))
    rating = quality(on_time, charter, QUARTER, today=date(2026, 11, 26)).ratings
    assert rating["autism-assessment-median-wait"].rating == GOOD
    assert rating["speech-therapy-median-wait"].rating == POOR  # overdue, no figure
    from metrics.store.connection import Store

    late = Store(tmp_path / "late.duckdb")
    _health_on(late, charter, date(2026, 11, 9))
    rating = quality(late, charter, QUARTER, today=date(2026, 11, 26)).ratings
    assert rating["autism-assessment-median-wait"].rating == CONCERNS
    assert "Wrenfield Community Health NHS Trust's return came 8 working days late" in (
        rating["autism-assessment-median-wait"].reasons
    )


def test_who_signs_in_for_a_provider(charter):
    from charter.access import AccessFile
    from metrics.access import from_claims

    access = AccessFile(ask="the desk")
    tom = from_claims({"sub": "t", "email": "Tom.Okafor@brightside.example",
                       "email_verified": True}, access, charter.providers)  # fmt: skip
    assert (tom.roles, tom.provider) == ({PROVIDER}, "short-breaks-trust")
    unverified = {"sub": "t", "email": "Tom.Okafor@brightside.example"}
    assert from_claims(unverified, access, charter.providers).roles == frozenset()
    # the organisation comes from `outcomes_provider`: Streamlit overwrites `provider`
    claimed = {"sub": "p", "roles": ["provider"], "outcomes_provider": "community-health"}
    assert from_claims(claimed, access, charter.providers).provider == "community-health"
    overwritten = {"sub": "p", "roles": ["provider"], "provider": "community-health"}
    assert from_claims(overwritten, access, charter.providers).roles == frozenset()
    unknown = {"sub": "p", "roles": ["provider"], "outcomes_provider": "nobody"}
    assert from_claims(unknown, access, charter.providers).roles == frozenset()
    # a token with roles says everything: the providers' list is not consulted
    staff = {"sub": "t", "email": "tom.okafor@brightside.example", "roles": ["analyst"]}
    assert from_claims(staff, access, charter.providers).provider is None


def test_a_layout_naming_a_group_we_do_not_have_is_a_charter_problem(tmp_path):
    import shutil

    from charter import CHARTER_DIR, CharterError, load_charter

    copy = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    layout = copy / "providers" / "community-health.yaml"
    layout.write_text(layout.read_text().replace("WN: North", "WN: Northern"))
    providers = copy / "providers.yaml"
    twice = "indicators: [short-breaks-receiving]"
    providers.write_text(
        providers.read_text().replace("indicators: [consultation-participation]", twice)
    )
    with pytest.raises(CharterError) as err:
        load_charter(copy)
    text = str(err.value)
    assert (
        "charter/providers/community-health.yaml: groups.WN: 'Northern' is not a locality" in text
    )
    assert "'short-breaks-receiving' is also supplied by 'short-breaks-trust'" in text


def test_a_providers_errors_speak_in_its_own_layout(store, charter):
    """Issue 27 item 19: their locality codes, their measure names, only what they supply."""
    rows = [
        *GOOD_EXTRACT,
        ["ASD assessment median wait", "Q2 26/27", "All localities", 30, ""],
        ["ASD assessment waiting list", "Q2 26/27", "WX", 12, ""],
    ]
    report = submit(store, charter, "community-health", "kpi.xlsx", kpi_extract(rows), by=HEALTH)
    assert report.outcome == "rejected"
    measure = next(e for e in report.errors if e.row == 6)
    assert measure.column == "Measure"
    assert "Unknown measure 'ASD assessment median wait'" in measure.problem
    assert "Did you mean 'ASD assessment median wait (wks)'?" in measure.fix
    assert "autism-assessment-median-wait" not in measure.problem + measure.fix
    locality = next(e for e in report.errors if e.row == 7)
    assert locality.column == "Locality"
    assert "WN, WS, WE, WW, WC, All localities" in locality.fix
    assert "North" not in locality.fix


def test_a_template_providers_suggestions_are_only_indicators_it_supplies(store, charter):
    csv = b"indicator,period,value\nshort-breaks-receiveing,2026-27 Q2,140\n"
    report = submit(store, charter, "parent-carer-forum", "pcf.csv", csv, by=FORUM)
    [error] = report.errors
    assert "short-breaks-receiving" not in error.fix
    assert "consultation-participation" in error.fix


def test_an_empty_list_is_asked_alike_on_both_databases(store, charter):
    """DuckDB's `IN (SELECT unnest($list))` with an empty list: PostgreSQL could not type
    '{}' ("function unnest(unknown) is not unique"), so a provider with no submissions yet
    failed there. Each list read answers on both databases."""
    from metrics.store import partners, queries

    with store.connect() as con:
        assert partners.items(con, []) == []
        assert partners.returned(con, []) == []
        assert partners.received(con, charter.council.code, []) == []
        assert partners.current_figures(con, charter.council.code, []) == []
        assert partners.breakdowns_supplied(con, charter.council.code, []) == []
    assert submissions(store, provider="community-health") == []
    assert queries.series_by_area(store, "short-breaks-receiving", []) == {}


def test_accepting_confirms_only_the_unusual_figures_the_analyst_was_shown(store, charter):
    """The Returns page passed no record of what it had shown, so figures found unusual only
    at storing (another analyst had revised the quarter before) were logged as confirmed by
    the analyst accepting (found by a review of this session's changes)."""
    from metrics.ingest import load_file

    before = "indicator,period,value\nshort-breaks-receiving,2024-25 Q1,880\n"
    assert load_file(store, charter, "q1.csv", before.encode(), by="Ana Analyst").ok
    sent = b"indicator,period,value\nshort-breaks-receiving,2024-25 Q2,900\n"
    report = submit(store, charter, "short-breaks-trust", "q2.csv", sent, by=BREAKS)
    revised = before.replace("880", "400")  # now the submission's 900 is a 125% rise
    assert load_file(store, charter, "r.csv", revised.encode(), by="Bo", reason="Recount",
                     confirmed=True).ok  # fmt: skip
    refused = accept(store, charter, report.upload_id, by="Ana Analyst", confirmed=True, shown=[])
    assert not refused.ok and "Check this figure" in refused.errors[0].problem
    [sub] = [s for s in submissions(store) if s.upload_id == report.upload_id]
    assert sub.state == "submitted"
