"""Plain-English words for figures and statuses, shared by the pages, the CLI and exports."""

from __future__ import annotations

from charter import Indicator
from metrics.rounding import fmt_half_up

STATUS_WORDS = {
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "no_target": "No target",
    "no_recent_data": "No recent data",
    "not_evidenced": "Not evidenced",
    "withheld": "Withheld",  # for public readers: a small number and what is built on it
}

# Icons go with the word, never instead of it: status is never shown by colour alone.
STATUS_ICONS = {
    "on_track": "✔",
    "at_risk": "▲",
    "off_track": "✖",
    "no_target": "ℹ",
    "no_recent_data": "⏳",
    "not_evidenced": "○",
    "withheld": "[c]",
}

DIRECTION_WORDS = {
    "improving": "Improving",
    "worsening": "Worsening",
    "no_change": "No change",
    "increased": "Up",
    "decreased": "Down",
}

DIRECTION_ICONS = {
    "improving": "↗",
    "worsening": "↘",
    "no_change": "→",
    "increased": "↑",
    "decreased": "↓",
}

PERIOD_WORDS = {"quarterly": "quarter", "annual": "year", "termly": "term", "monthly": "month"}


def status_label(status: str) -> str:
    return f"{STATUS_ICONS[status]} {STATUS_WORDS[status]}"


def direction_label(direction: str | None) -> str:
    if direction is None:
        return "–"
    return f"{DIRECTION_ICONS[direction]} {DIRECTION_WORDS[direction]}"


def fmt_number(value: float, decimals: int) -> str:
    return fmt_half_up(value, decimals)  # half up, as DfE publishes (metrics/rounding)


def signed_number(value: float, decimals: int) -> str:
    """A difference with its sign: +0.4, -1.2, 0.0."""
    number = fmt_number(value, decimals)
    return number if number.startswith("-") or float(number.replace(",", "")) == 0 else "+" + number


def fmt_value(
    value: float | None, ind: Indicator, symbol: str | None = None, signed: bool = False
) -> str:
    """52.0%, 1,234, 18.5 weeks, 452.3 per 10,000; a symbol as [c]; with `signed`, a change
    (a percentage's change in percentage points: +3.0 points)."""
    if symbol:
        return f"[{symbol}]"
    if value is None:
        return "–"
    number = fmt_number(value, ind.decimals)
    if signed:
        number = "+" + number if value > 0 else number
        if ind.unit == "percent":
            return f"{number} points"
    match ind.unit:
        case "percent":
            return f"{number}%"
        case "rate_per_10000":
            return f"{number} per 10,000"
        case "rate_per_1000":
            return f"{number} per 1,000"
        case "weeks" | "days":
            return f"{number} {ind.unit}"
        case _:
            return number


def fmt_change(change: float, ind: Indicator) -> str:
    """The size of a change, in the indicator's units ("4.4 points" for percentages)."""
    size = fmt_number(abs(change), ind.decimals)
    if ind.unit == "percent":
        return f"{size} percentage points"
    if ind.unit in ("weeks", "days"):
        return f"{size} {ind.unit}"
    if ind.unit.startswith("rate"):
        return f"{size} {'per 10,000' if ind.unit == 'rate_per_10000' else 'per 1,000'}"
    return size


def facts_markdown(facts: list[tuple[str, str]]) -> str:
    return "\n".join(f"- **{label}:** {text}" for label, text in facts)


VARIATION_LABELS = {
    "common_cause": "● Common cause",
    "improvement": "⬆ Improvement",
    "concern": "⬇ Concern",
    "neutral": "◆ Special cause",
}
ASSURANCE_LABELS = {
    "pass": "✔ Consistently passing",
    "fail": "✖ Consistently failing",
    "hit_or_miss": "↕ Hit and miss",
}


def variation_label(variation: str | None) -> str:
    return VARIATION_LABELS.get(variation or "", "– Too few points")


def assurance_label(assurance: str | None, has_target: bool) -> str:
    if assurance is None:
        return "– No target" if not has_target else "– Too few points"
    return ASSURANCE_LABELS[assurance]


SPC_HELP = [
    (VARIATION_LABELS["common_cause"], "the figures vary only as much as they usually do"),
    (VARIATION_LABELS["improvement"], "a real change for the better (Making Data Count rules)"),
    (VARIATION_LABELS["concern"], "a real change for the worse"),
    (VARIATION_LABELS["neutral"], "a real change, for a context indicator with no better side"),
    (ASSURANCE_LABELS["pass"], "the whole range the process produces meets the target"),
    (ASSURANCE_LABELS["fail"], "the target lies beyond what the process can produce"),
    (ASSURANCE_LABELS["hit_or_miss"], "the target will be met in some periods, missed in others"),
    ("– Too few points", "fewer than 6 figures: too few to tell signal from noise"),
]


# A move, or a gap from England with no statistical test, is "trivial" when it is less than
# 1% of the figure it is measured from (the earlier figure, or England's), both rounded as
# published: it is then "about the same", never "better" or "worse". 52.7 -> 52.6 weeks is
# 0.2%; 58 -> 59 is 1.7% and counts. (A percentage compared with England is judged by its
# 95% interval instead, metrics/assess/benchmark.py.)
TRIVIAL_SHARE = 0.01


def trivial(ind: Indicator, now: float, then: float) -> bool:
    """Is the difference between `now` and `then` too small to call (TRIVIAL_SHARE)?"""
    a, b = round(now, ind.decimals), round(then, ind.decimals)
    return abs(a - b) < TRIVIAL_SHARE * abs(b) if b else a == b
