"""The one disclosure policy (metrics/publish/policy.py), asked directly for each kind of cell
an output publishes, for each audience; and a check that no output outside the policy applies
the council's threshold (or any other part of the rule) itself."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from charter import Charter
from metrics.access.people import demo
from metrics.assess.rollup import charter_status
from metrics.assess.trend import breakdown, trend
from metrics.evidence.items import Survey
from metrics.evidence.survey import SurveyPoint
from metrics.periods.text import parse_period
from metrics.publish import published
from metrics.publish.disclosure import PRIMARY, ROUND
from metrics.publish.policy import (
    PUBLIC,
    STAFF,
    DisclosurePolicy,
    FigureCell,
    GroupCells,
    HeldBackCells,
    Marker,
    NotAudited,
    ReviewCells,
    StatusCells,
    SurveyCells,
    TrendCells,
    audience_of,
)
from metrics.review import report
from metrics.review.common import indicator_subject
from metrics.store.connection import Store
from tests.conftest import ROOT

Q = "2026-27 Q2"
PCF = "planning-group-pcf-representation"  # its 2026-27 Q2 total is withheld in the demo
BREAKS = "short-breaks-receiving"  # 413 at 2026-27 Q2; its North group is 1


def rounding(charter: Charter) -> Charter:
    """The same charter, with the council publishing counts rounded to the nearest 5."""
    council = charter.council.model_copy(update={"disclosure_method": ROUND})
    return replace(charter, council=council)


@pytest.fixture(scope="module")
def audited(demo_db, charter) -> DisclosurePolicy:
    return DisclosurePolicy.audited(Store(demo_db), charter)


def test_who_is_public(charter):
    assert audience_of(demo("councillor")) == PUBLIC
    for role in ("analyst", "member", "chair", "admin"):
        assert audience_of(demo(role)) == STAFF


def test_trend_cells_public_get_c_and_staff_the_real_figure_marked(demo_db, charter, audited):
    rows = trend(Store(demo_db), charter, charter.indicators[PCF])
    real = next(r for r in rows if r.period == Q)
    assert real.value is not None
    public = next(r for r in audited.publish(TrendCells(PCF, rows), PUBLIC) if r.period == Q)
    assert public.value is None and public.symbol == "c" and public.withheld
    assert public.numerator is None and public.denominator is None
    staff = next(r for r in audited.publish(TrendCells(PCF, rows), STAFF) if r.period == Q)
    assert staff.value == real.value and staff.withheld == public.withheld


def test_group_cells_withhold_the_small_group_from_the_public(demo_db, charter, audited):
    ind = charter.indicators[BREAKS]
    dim = next(iter(ind.breakdowns))
    found, rows = breakdown(Store(demo_db), charter, ind, dim, Q)
    assert found == Q
    public = {r.group: r for r in audited.publish(GroupCells(BREAKS, Q, dim, rows), PUBLIC)}
    staff = {r.group: r for r in audited.publish(GroupCells(BREAKS, Q, dim, rows), STAFF)}
    small = [g for g, r in staff.items() if r.value is not None and 1 <= r.value <= 5]
    assert small, staff
    for g in small:
        assert public[g].value is None and public[g].symbol == "c"
        assert staff[g].value is not None and staff[g].withheld


def test_a_figure_cell_is_a_marker_with_its_reason_said_for_each_audience(audited):
    marker = audited.publish(FigureCell(PCF, Q), PUBLIC)
    assert isinstance(marker, Marker) and marker.shown == "[c]"
    assert "privacy" in marker.note(PUBLIC)
    assert marker.note(STAFF).startswith("not for publication: ")
    assert audited.publish(FigureCell(PCF, "1999-00 Q1"), STAFF) is None
    assert Marker(PRIMARY).note(PUBLIC) == "a small number, withheld to protect children's privacy"


def test_status_cells_withhold_the_status_for_the_public_only(demo_db, charter, audited):
    statuses = charter_status(Store(demo_db), charter, parse_period(Q))
    public = {i.id: i for s in audited.publish(StatusCells(statuses), PUBLIC) for i in s.indicators}
    assert public[PCF].status == "withheld" and public[PCF].shown == "[c]"
    assert audited.publish(StatusCells(statuses), STAFF) is statuses


def test_agreed_statuses_and_the_review_are_held_back_for_the_public_only(
    demo_db, charter, audited
):
    store = Store(demo_db)
    statuses = charter_status(store, charter, parse_period(Q))
    held = audited.publish(HeldBackCells(statuses), PUBLIC)
    assert "not published" in held[indicator_subject(PCF)]
    assert audited.publish(HeldBackCells(statuses), STAFF) == {}
    built = report.build(store, charter, Q)
    public = audited.publish(ReviewCells(built), PUBLIC)
    assert indicator_subject(PCF) in public.held_back and public.revised == {}
    assert audited.publish(ReviewCells(built), STAFF) is built


def test_a_survey_answered_by_few_is_withheld_from_the_public_whatever_the_method(charter):
    few, enough = Survey("Did it help?", 4, 75.0), Survey("Did it help?", 6, 50.0)
    for c in (charter, rounding(charter)):
        policy = DisclosurePolicy(c)  # surveys need no audit of figures
        shown, fine = policy.publish(SurveyCells([few, enough]), PUBLIC)
        assert shown.withheld and shown.answered == "[c]" and shown.agreed_share == "[c]"
        assert shown.cell(few.question) == "[c]"
        assert "[c], answered by 5 or fewer" in shown.words(few.question)
        assert "75" not in shown.words(few.question)
        assert fine.withheld is None and fine.words(enough.question) == (
            "\u201cDid it help?\u201d: 50% of 6 agreed."
        )
        [staff] = policy.publish(SurveyCells([few]), STAFF)
        assert staff.withheld is None and staff.words(few.question).endswith("75% of 4 agreed.")


def test_a_surveys_points_over_time_are_published_one_by_one(charter):
    points = [
        SurveyPoint(1, date(2025, 9, 1), 3, 100.0, "Group"),
        SurveyPoint(2, date(2026, 9, 1), 40, 60.0, "Group"),
    ]
    early, late = DisclosurePolicy(charter).publish(SurveyCells(points), PUBLIC)
    assert (early.answered, early.agreed_share) == ("[c]", "[c]")
    assert (late.answered, late.agreed_share) == (40, 60.0) and late.result.source == "Group"


def test_rounding_is_a_choice_inside_the_policy_not_in_the_output(demo_db, charter):
    """The same output code (ask for a trend's cells) gets the figure rounded to the nearest 5
    when the council's method is rounding, and withheld when it suppresses."""
    store = Store(demo_db)
    rows = trend(store, charter, charter.indicators[BREAKS])
    assert next(r for r in rows if r.period == Q).value == 413
    policy = DisclosurePolicy.audited(store, rounding(charter), BREAKS)
    shown = next(r for r in policy.publish(TrendCells(BREAKS, rows), PUBLIC) if r.period == Q)
    assert shown.value == 415
    staff = next(r for r in policy.publish(TrendCells(BREAKS, rows), STAFF) if r.period == Q)
    assert staff.value == 413
    assert "nearest 5" in policy.words and "nearest 5" not in DisclosurePolicy(charter).words


def test_the_rules_words_and_the_free_text_check_come_from_the_policy(charter):
    policy = DisclosurePolicy(charter)
    assert policy.words == policy.rule.words and "[c]" in policy.words
    found = policy.small_numbers_in("We helped 3 children this quarter.")
    assert found and "3 children" in found[0].sentence()
    assert policy.small_numbers_in("We helped 30 children this quarter.") == []


def test_figures_are_never_published_before_the_audit(demo_db, charter):
    """Fails closed: a policy without the audit refuses a public reader's figures."""
    rows = trend(Store(demo_db), charter, charter.indicators[PCF])
    unaudited = DisclosurePolicy(charter)
    with pytest.raises(NotAudited):
        unaudited.publish(TrendCells(PCF, rows), PUBLIC)
    with pytest.raises(NotAudited):
        unaudited.publish(StatusCells([]), PUBLIC)
    with pytest.raises(ValueError, match="audience"):
        unaudited.publish(StatusCells([]), "councillor")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="kind"):
        unaudited.publish(rows, PUBLIC)  # type: ignore[call-overload]


def test_the_published_command_publishes_what_the_policy_publishes(demo_db, charter, audited):
    rows = published.cells(Store(demo_db), charter, Q)
    pcf = next(r for r in rows if r["indicator"] == PCF and r["period"] == Q and not r["breakdown"])
    marker = audited.publish(FigureCell(PCF, Q), PUBLIC)
    assert marker is not None
    assert pcf["value"] == "[c]" and pcf["withheld"] == marker.words


# Anything outside the policy that touches the council's rule, its threshold or its method,
# or applies one of the policy's parts directly instead of asking the policy.
APPLIES_THE_RULE = re.compile(
    r"\.threshold\b|suppression_threshold|suppress_zero|disclosure_method|\.few\(|"
    r"\.disclosive\(|\.rounded\(|\.rounds\b|\brule_for\b|\bwithhold\(|\bprotect\(|"
    r"\bwithheld_figures\(|"
    r"\b(withheld|disclosure)\.(trend_rows|group_rows|indicator_status|statuses|explain|marked|"
    r"Rule|Rounding)\b|withheld_review|from metrics\.publish\.(audit|intruder|withheld) import|"
    r"from metrics\.publish\.disclosure import .*\b(Rule|withhold)\b|\bsmall_numbers\("
)
# The policy itself: the rule (disclosure.py), its audit, and what it does to each kind of
# cell. Everything else under metrics/, ui/, pages/ and app.py is an output, or feeds one.
POLICY = {
    "metrics/publish/policy.py",
    "metrics/publish/disclosure.py",
    "metrics/publish/audit.py",
    "metrics/publish/intruder.py",
    "metrics/publish/audit_cache.py",
    "metrics/publish/withheld.py",
    "metrics/publish/withheld_review.py",
    "metrics/publish/withheld_counts.py",  # nested counts by locality and need (issue 33)
    "metrics/publish/withheld_rounding.py",  # rounding to 5: split from withheld.py
    "metrics/publish/periods.py",
    "metrics/evidence/personal.py",  # small_numbers: the free-text check, given the threshold
}


def rule_applied_in(text: str) -> list[str]:
    """Lines of code (comments and docstrings aside) that apply the rule themselves."""
    found = []
    for line in text.splitlines():
        code = line.split("#", 1)[0]
        if APPLIES_THE_RULE.search(code) and not code.lstrip().startswith(('"', "'")):
            found.append(line.strip())
    return found


def test_no_output_applies_the_rule_itself():
    files = [ROOT / "app.py"] + [
        p for d in ("metrics", "ui", "pages") for p in sorted((ROOT / d).rglob("*.py"))
    ]
    offenders = {
        str(p.relative_to(ROOT)): lines
        for p in files
        if str(p.relative_to(ROOT)) not in POLICY
        and (lines := rule_applied_in(p.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "ask metrics/publish/policy.py what to publish instead"


def test_the_check_finds_the_rule_applied_by_an_output():
    """What the evidence view and the pack's evidence table did before the policy."""
    before = """
        rule = withheld.rule_for(ui.charter().council)
        if ui.public() and rule.few(found.survey.answered):
            said = f"[c], answered by {rule.threshold} or fewer"
    """
    assert len(rule_applied_in(before)) == 3
    assert rule_applied_in("            small = public and rule.few(item.survey.answered)")
    assert rule_applied_in("    rows = withheld.trend_rows(every, hidden, public)")
    assert not rule_applied_in("    rows = policy.publish(TrendCells(ind.id, every), audience)")


def test_outputs_that_ask_the_policy(charter):
    """Every output module that publishes figures, statuses or survey results asks the
    policy (a deleted call would leave one deciding for itself, or publishing everything)."""
    asks = {
        "metrics/publish/indicator_page.py": "TrendCells",
        "metrics/scrutiny/view.py": "StatusCells",
        "metrics/publish/published.py": "GroupCells",
        "metrics/packs/content.py": "ReviewCells",
        "metrics/packs/sections.py": "SurveyCells",
        "ui/reads.py": "GroupCells",
        "ui/evidence_view.py": "SurveyCells",
        "ui/trend_tables.py": "Marker",
        "pages/5_Help.py": "policy().words",
    }
    for name, kind in asks.items():
        assert kind in (ROOT / name).read_text(encoding="utf-8"), name


def test_a_withheld_figure_keeps_neither_its_note_nor_why_it_was_revised_from_the_public():
    """A councillor had seen 40 of 58; the figure revised to 37 was withheld (old minus new
    is a small number), but the reason shown beside it said '3 families were counted twice',
    which gives 37 back. Public readers get neither the supplier's note nor the reason."""
    from metrics.assess.trend import TrendRow
    from metrics.publish import withheld as rules

    row = TrendRow("2026-27 Q2", 63.8, None, "final", True, 37, 58, None, None, 75,
                   note="37 of 58", revision_reason="3 families were counted twice")  # fmt: skip
    hidden = rules.Withheld({("2026-27 Q2", "", ""): "revised by a small number"})
    [public] = rules.trend_rows([row], hidden, public=True)
    assert (public.value, public.numerator, public.note, public.revision_reason) == (
        None, None, None, None)  # fmt: skip
    [staff] = rules.trend_rows([row], hidden, public=False)
    assert staff.revision_reason == "3 families were counted twice" and staff.value == 63.8
    [shown] = rules.trend_rows([row], rules.Withheld(), public=True)  # not withheld: kept
    assert shown.revision_reason == "3 families were counted twice"
