"""What an indicator is, in words: the one source for the indicator page and the help page's
definitions (its target and which way is better come from the Target)."""

from __future__ import annotations

from charter import Charter, Indicator
from metrics.assess.target import Target, targets_words
from metrics.words.narrative import fmt_change


def indicator_facts(ind: Indicator, charter: Charter) -> list[tuple[str, str]]:
    """What an indicator is, as (label, text) pairs: the one source for the indicator page
    and the help page's definitions."""
    facts = [("What it tells us", ind.description), ("Definition", ind.definition)]
    if ind.numerator and ind.denominator:
        facts += [("Numerator", ind.numerator), ("Denominator", ind.denominator)]
    aim = Target.of(ind)
    tolerance = f" (at risk within {fmt_change(aim.tolerance, ind)})" if aim.tolerance else ""
    facts += [
        ("Unit", ind.unit.replace("_", " ")),
        ("Which way is better", aim.polarity.words),
        ("Reported", ind.frequency),
        ("Target", targets_words(ind) + tolerance),
        ("Source", ind.source),
        ("Owner", charter.owner_name(ind.owner)),
        (
            "Evidences",
            "; ".join(f"{n}. {charter.statement(n).short_title}" for n in ind.statements),
        ),
        ("Breakdowns", ", ".join(charter.breakdowns[d].label for d in ind.breakdowns) or "none"),
    ]
    if ind.benchmark:
        facts.append(("Published comparators", ind.benchmark))
    return facts
