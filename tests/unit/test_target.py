"""The target and polarity as one concept (metrics/assess/target.py): values, each year's own,
tolerance, both polarities, words; and a check of the code that nothing else reads the
charter's raw target fields or compares polarity with a string."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from metrics.assess.target import Polarity, Target, fmt_target_value
from metrics.periods.text import parse_period

ROOT = Path(__file__).resolve().parents[2]
Q2 = parse_period("2026-27 Q2")


def higher(value: float = 70, tolerance: float | None = 5, **years: float) -> Target:
    return Target(Polarity.HIGHER, value, tuple(years.items()), tolerance)


def lower(value: float = 18, tolerance: float | None = 4) -> Target:
    return Target(Polarity.LOWER, value, (), tolerance)


def test_polarity_reads_the_charter_words_and_the_short_ones():
    assert Polarity("higher_is_better") is Polarity.HIGHER is Polarity("higher")
    assert Polarity("lower_is_better") is Polarity.LOWER is Polarity("lower")
    assert Polarity("neutral") is Polarity.NEUTRAL
    assert [p.short for p in Polarity] == ["higher", "lower", "neutral"]
    with pytest.raises(ValueError, match="up"):
        Polarity("up")


def test_which_way_is_better():
    assert Polarity.HIGHER.is_better(2, 1) and not Polarity.HIGHER.is_better(1, 1)
    assert Polarity.LOWER.is_better(1, 2) and not Polarity.LOWER.is_better(2, 1)
    assert not Polarity.NEUTRAL.is_better(2, 1) and not Polarity.NEUTRAL.is_better(1, 2)
    assert (Polarity.HIGHER.improvement(+0.5), Polarity.HIGHER.improvement(-0.5)) == (True, False)
    assert (Polarity.LOWER.improvement(+0.5), Polarity.LOWER.improvement(-0.5)) == (False, True)
    assert Polarity.NEUTRAL.improvement(3) is None and Polarity.HIGHER.improvement(0) is None


def test_best_first_and_ranks_with_ties():
    values = [3.0, 9.0, 3.0, 5.0]
    assert Polarity.HIGHER.best_first(values, key=float) == [9.0, 5.0, 3.0, 3.0]
    assert Polarity.LOWER.best_first(values, key=float) == [3.0, 3.0, 5.0, 9.0]
    assert Polarity.HIGHER.ranks(values) == [3, 1, 3, 2]
    assert Polarity.LOWER.ranks(values) == [1, 4, 1, 3]


def test_the_target_of_a_charter_indicator_and_each_years_own(charter):
    aim = Target.of(charter.indicators["annual-reviews-on-time"])  # 80, 2026-27: 85
    assert aim.polarity is Polarity.HIGHER and aim.value == 80
    assert aim.by_year == (("2026-27", 85.0),) and aim.is_set
    assert aim.for_period(Q2) == 85 and aim.for_period(parse_period("2025-26 Q4")) == 80
    assert aim.for_period(parse_period("2026-27")) == 85  # a financial year: its own
    periods = [parse_period(p) for p in ("2025-26 Q3", "2025-26 Q4", "2026-27 Q1")]
    assert aim.line(periods) == [80, 80, 85]  # the chart's line steps where the year's starts


def test_a_context_indicator_has_no_target_to_judge_or_draw(charter):
    aim = Target.of(charter.indicators["active-ehc-plans"])
    assert aim.polarity is Polarity.NEUTRAL and not aim.has_better_side and not aim.is_set
    assert aim.in_force(Q2) is None and aim.line([Q2]) == []
    assert aim.assess(1234, Q2) == "no_target"
    assert aim.direction(5, 4, 0) == "increased" and aim.direction(4, 5, 0) == "decreased"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(70, "on_track"), (75, "on_track"), (66, "at_risk"), (65, "at_risk"), (64.9, "off_track")],
)
def test_higher_is_better_through_the_tolerance(value, expected):
    assert higher().status(value, 70) == expected
    assert higher().assess(value, Q2) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(18, "on_track"), (12, "on_track"), (21, "at_risk"), (22, "at_risk"), (22.1, "off_track")],
)
def test_lower_is_better_through_the_tolerance(value, expected):
    assert lower().status(value, 18) == expected
    assert lower().meets(value, 18) == (expected == "on_track")
    assert lower().within_tolerance(value, 18) == (expected != "off_track")


def test_no_tolerance_means_short_is_off_track():
    assert higher(tolerance=None).status(69.9, 70) == "off_track"
    assert lower(tolerance=None).status(18.1, 18) == "off_track"


def test_a_years_own_target_is_the_one_judged():
    aim = higher(70, 5, **{"2026-27": 80})
    assert aim.assess(76, Q2) == "at_risk"  # against 80
    assert aim.assess(76, parse_period("2025-26 Q4")) == "on_track"  # against 70


def test_direction_is_read_through_polarity_on_published_rounding():
    assert higher().direction(71, 70, 0) == "improving"
    assert lower().direction(71, 70, 0) == "worsening"
    assert lower().direction(69, 70, 0) == "improving"
    assert higher().direction(70.4, 70.0, 0) == "no_change"  # both 70 as published
    assert higher().direction(70.5, 70.0, 0) == "improving"  # half up: 71 against 70
    assert higher().direction(None, 70, 0) is None


def test_words(charter):
    ind = charter.indicators["keyworker-complex-needs"]  # percent, target 75
    aim = Target.of(ind)
    assert aim.words(fmt_target_value(ind, aim.value)) == "at least 75%"
    assert aim.aim_side == "or more" and aim.out_of_reach == "above"
    assert aim.aim_words(fmt_target_value(ind, aim.value)) == "75% or more"
    assert aim.shown(75.0, lambda v: f"{v:g} per cent") == "75 per cent"
    assert aim.polarity.words == "higher is better"
    wait = charter.indicators["speech-therapy-median-wait"]  # weeks, lower is better, 13
    aim = Target.of(wait)
    assert aim.words(fmt_target_value(wait, aim.value)) == "at most 13 weeks"
    assert aim.aim_side == "or less" and aim.out_of_reach == "below"
    assert aim.aim_words(fmt_target_value(wait, 12.5)) == "12.5 weeks or less"
    assert aim.polarity.words == "lower is better"
    assert Polarity.NEUTRAL.words == "neither: context only"


# -- the rule: one home for the target and polarity ------------------------------------------

RAW = {"target", "targets", "tolerance", "polarity"}  # the charter's fields behind a Target
WORDS = {p.value for p in Polarity} | {p.short for p in Polarity}
TAKES_POLARITY = {"xmr", "p_chart", "assurance", "apply_rules", "ranks", "rank_of", "quartile_band"}
ALLOWED = {Path("metrics/assess/target.py")}


def _is_indicator(node: ast.expr) -> bool:
    """`ind`, `indicator`, `charter.indicators[x]`: the names an Indicator goes by here."""
    if isinstance(node, ast.Name):
        return node.id.startswith(("ind", "indicator"))
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "indicators"
    )


def _mentions_polarity(node: ast.expr) -> bool:
    return any(
        (isinstance(n, ast.Name) and "polarity" in n.id.lower())
        or (isinstance(n, ast.Attribute) and n.attr == "polarity")
        for n in ast.walk(node)
    )


def _is_word(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in WORDS


def offences(source: str) -> list[tuple[int, str]]:
    """Raw reads of an indicator's target fields and polarity written as a string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in RAW and _is_indicator(node.value):
            found.append((node.lineno, f"raw read of .{node.attr}"))
        elif isinstance(node, ast.Constant) and node.value in (
            Polarity.HIGHER.value,
            Polarity.LOWER.value,
        ):
            found.append((node.lineno, f"polarity literal {node.value!r}"))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(map(_mentions_polarity, sides)) and any(map(_is_word, sides)):
                found.append((node.lineno, "polarity compared with a string"))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            given = [k.value for k in node.keywords if k.arg == "polarity"]
            if name in TAKES_POLARITY:
                given += node.args
            if any(map(_is_word, given)):
                found.append((node.lineno, f"polarity word passed to {name}()"))
    return found


def test_the_check_catches_each_way_back():
    bad = """
if ind.polarity == "lower_is_better": pass
x = ind.target
y = charter.indicators[i].tolerance
z = indicator.targets
if polarity != "neutral": pass
if "higher" == aim.polarity: pass
chart = xmr(periods, values, "neutral")
rank = ranks(values, polarity="lower")
side = {"higher_is_better": "or more"}
"""
    assert sorted({line for line, _ in offences(bad)}) == list(range(2, 11))
    fine = """
aim = Target.of(ind); t = aim.tolerance; v = aim.value; p = aim.polarity
shown, row, status = i.target, r.target, status.target
if aim.polarity is Polarity.LOWER: pass
if variation == "neutral": pass
side = "higher" if ours > theirs else "lower"
"""
    assert offences(fine) == []


def test_nothing_outside_the_target_reads_raw_fields_or_spells_polarity():
    files = [
        p
        for folder in ("metrics", "ui", "pages", "bench")
        for p in sorted((ROOT / folder).rglob("*.py"))
    ] + [ROOT / "app.py"]
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in files
        if path.relative_to(ROOT) not in ALLOWED
        for line, what in offences(path.read_text(encoding="utf-8"))
    ]
    assert len(files) > 100
    assert found == [], "ask metrics.assess.target.Target instead:\n" + "\n".join(found)
