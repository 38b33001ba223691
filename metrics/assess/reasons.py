"""The plain-English sentence behind every indicator status, built from its facts: RAG,
SPC assurance and variation, direction of travel and benchmarks.

Written by the status itself (status.py is its one user), so it sits beside it in assess/; the
words every capability shares (status words, how a number is written) stay in
metrics/words/narrative.py. In words/ it made words and assess import each other."""

from __future__ import annotations

from charter import Indicator
from metrics.assess.benchmark import Benchmark
from metrics.assess.spc import Shift
from metrics.assess.target import Target, compared_with, fmt_target_value
from metrics.words.narrative import PERIOD_WORDS, STATUS_WORDS, fmt_change, fmt_value

COMPARE_WORDS = {
    "improving": "better than",
    "worsening": "worse than",
    "no_change": "the same as",
    "increased": "higher than",
    "decreased": "lower than",
}
ASSURANCE_HEAD = {
    "fail": " and consistently failing",
    "pass": " and consistently passing",
    "hit_or_miss": ", hit and miss",
}
RULE_WORDS = {
    "astronomical": "a point beyond the process limits",
    "trend": "a run of 7 rising or falling points",
    "two_of_three": "two of three points near a process limit",
    "shift": "a run of 7 points on one side of the average",
}


def comparison(ind: Indicator, direction: str | None, direction_year: str | None) -> str:
    unit = PERIOD_WORDS[ind.frequency]
    parts = []
    if direction:
        parts.append(f"{COMPARE_WORDS[direction]} last {unit}")
    if direction_year and ind.frequency != "annual":
        parts.append(f"{COMPARE_WORDS[direction_year]} a year ago")
    return "; ".join(parts)


def assurance_clause(ind: Indicator, assurance: str | None) -> str:
    if assurance == "fail":
        side = Target.of(ind).out_of_reach  # above it when higher is better
        return f"the target is {side} what the current process can deliver"
    if assurance == "pass":
        return "the current process reliably meets the target"
    if assurance == "hit_or_miss":
        return "the target will be met in some periods and missed in others"
    return ""


def variation_clause(variation: str | None, rule: str | None) -> str:
    if variation in ("improvement", "concern") and rule:
        return f"special cause {variation}: {RULE_WORDS[rule]}"
    if variation == "neutral" and rule:
        return f"special cause variation: {RULE_WORDS[rule]}"
    return ""


def benchmark_sentence(ind: Indicator, b: Benchmark | None, value: float | None = None) -> str:
    """England, the comparator group and the rank; `value`, ours, gives a verdict against
    England where there is no statistical test (rates)."""
    if b is None:
        return ""
    parts = []
    if b.england is not None:
        england = fmt_value(b.england, ind)
        if b.significance in ("better", "worse", "higher", "lower"):
            parts.append(f"{'Significantly ' + b.significance} than England ({england})")
        elif b.significance == "similar":
            parts.append(f"Not significantly different from England ({england})")
        elif value is not None and ind.unit != "count":  # no test: read it the right way
            parts.append(compared_with(ind, value, b.england, "England"))
        else:
            parts.append(f"England {england}")
    if b.group is not None:
        source = f" ({b.group_source})" if b.group_source else ""
        parts.append(f"comparator group {b.statistic} {fmt_value(b.group, ind)}{source}")
    if (rank := b.rank_text()) is not None:
        parts.append(f"{rank} councils")
    if not parts:
        return ""
    if b.period:  # a published year beside a figure tracked more often: say which year
        ours = f"ours {fmt_value(b.ours, ind)}; " if b.ours is not None else ""
        return f"Published figures for {b.period}: {ours}{'; '.join(parts)}."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def shift_sentence(shift: Shift) -> str:
    where = "above" if shift.above else "below"
    beyond = f", {shift.outside} of them beyond the process limits" if shift.outside else ""
    return (
        f"The process changed in {shift.start}: the latest {shift.points} figures all lie "
        f"{where} the average{beyond}, so limits worked out over the old process no longer "
        f"describe it. Restart the limits from {shift.start} (rebase: ['{shift.start}'] in "
        "the indicator's charter file)"
    )


def contradicts(status: str, assurance: str | None) -> bool:
    """The figure and the process limits tell different stories."""
    return (status == "on_track" and assurance == "fail") or (
        status == "off_track" and assurance == "pass"
    )


def disagreement(direction: str | None, variation: str | None) -> str:
    """Why the arrow and the SPC verdict can point different ways."""
    if (direction, variation) in (("worsening", "improvement"), ("improving", "concern")):
        moved = "worse" if direction == "worsening" else "better"
        return (
            f"One period's move ({moved} than the last) does not undo the SPC signal, which "
            "reads the run of figures rather than the latest step"
        )
    return ""


def indicator_reason(
    ind: Indicator,
    status: str,
    shown: str,
    period: str,
    provisional: bool,
    direction: str | None,
    direction_year: str | None,
    assurance: str | None,
    trial: bool,
    variation: str | None,
    rule: str | None,
    bench: Benchmark | None,
    target: float | None,
    shift: Shift | None = None,
    value: float | None = None,
) -> str:
    """Short sentences: the status and figure first, then what the SPC chart adds, the
    direction of travel and the benchmarks. Never a contradiction left unexplained."""
    if shift is not None:
        assurance = None  # limits over the old process say nothing about the new one
    mixed = contradicts(status, assurance)  # e.g. on track, yet the limits say it fails
    notes = " (provisional)" if provisional else ""
    if status == "no_target":
        head = f"No target: {shown}{notes} in {period} (context)"
    else:
        assert target is not None
        shown_target = fmt_target_value(ind, target)
        head = (
            f"{STATUS_WORDS[status]}{'' if mixed else ASSURANCE_HEAD.get(assurance or '', '')}: "
            f"{shown}{notes} "
            f"in {period} against a target of {shown_target}"
        )
        if status == "at_risk":
            head += f", within the tolerance of {fmt_change(Target.of(ind).tolerance or 0, ind)}"
    sentences = [head]
    if mixed:  # say why both hold instead of "on track and consistently failing"
        sentences.append(
            "This figure meets the target, but the process limits set by the figures so far "
            "say the target is not yet met reliably"
            if status == "on_track"
            else "This figure misses the target, though the process limits set by the figures "
            "so far say it is usually met"
        )
    else:
        sentences.append(assurance_clause(ind, assurance))
    if shift is not None:
        sentences.append(shift_sentence(shift))
    sentences += [
        variation_clause(variation, rule),
        comparison(ind, direction, direction_year),
        disagreement(direction, variation),
    ]
    if trial and (assurance or variation):
        sentences.append("SPC limits are trial limits (fewer than 12 points)")
    text = " ".join(_sentence(s) for s in sentences if s)
    tail = benchmark_sentence(ind, bench, value)
    return f"{text} {tail}" if tail else text


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."
