"""Questions members may want to ask, generated from the scrutiny view's facts: the most
pressing first, one per indicator, statement or action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from metrics.dates import long_date
from metrics.review import actions as actions_mod
from metrics.review.common import indicator_subject, statement_subject
from metrics.scrutiny.lines import Line, StatementLine
from metrics.words.narrative import STATUS_WORDS

MOST_QUESTIONS = 12  # a committee takes a handful; the most pressing first
PROBLEMS = ("off_track", "at_risk")


@dataclass
class Suggested:
    subject: str
    text: str


def suggest(
    lines: list[Line],
    statements: list[StatementLine],
    open_actions: list[actions_mod.Action],
    today: date | None = None,
) -> list[Suggested]:
    """Questions members may want to ask, from the facts: the most pressing first, one per
    indicator, statement or action, at most MOST_QUESTIONS."""
    found: list[tuple[int, Suggested]] = []

    def ask(priority: int, subject: str, text: str) -> None:
        found.append((priority, Suggested(subject, text)))

    for x in lines:
        subject = indicator_subject(x.id)
        long = f"{'at least ' if x.since_records else ''}{x.status_for} {x.period_word}s"
        if x.status == "off_track" and x.status_for > 1 and x.worse_than_england:
            ask(
                0,
                subject,
                f"{x.title} has been off track for {long} and is worse than "
                "England: what is stopping improvement, and when will the actions show?",
            )
        if x.status == "off_track" and x.status_for > 1:
            ask(
                2,
                subject,
                f"{x.title} has been off track for {long}: what is stopping "
                "improvement, and when should we expect it to meet its aim?",
            )
        if x.status in PROBLEMS and not x.actions and x.on_sisters:
            sister, a = x.on_sisters[0]
            ask(
                3,
                subject,
                f"{x.title} is {STATUS_WORDS[x.status].lower()}; the open action bearing on "
                f"it is on {sister} (\u201c{a.title}\u201d): will that improve this too, "
                "and by when?",
            )
        elif x.status in PROBLEMS and not x.actions:
            ask(
                3,
                subject,
                f"{x.title} is {STATUS_WORDS[x.status].lower()} and no open "
                f"action is recorded against it: who is responsible for improving it "
                f"({x.owner}), and by when?",
            )
        if x.direction == "worsening" and x.moving_for > 2:
            ask(
                4,
                subject,
                f"{x.title} has got worse for {x.moving_for} {x.period_word}s "
                "in a row: what has changed, and what is being done about it?",
            )
        if x.status == "off_track":
            ask(
                5,
                subject,
                f"{x.title} is off track this {x.period_word}: is this a blip or "
                "the start of a decline, and how will we know?",
            )
        if x.status == "no_recent_data":
            ask(
                6,
                subject,
                f"{x.title} has no up-to-date figure: who supplies it, and when "
                "will it be available?",
            )
    for a in open_actions:
        if a.overdue(today):
            ask(
                1,
                f"action:{a.action_id}",
                f"The action \u201c{a.title}\u201d was due on "
                f"{long_date(a.due)} and is not done: what is in the way, and what is the new "
                "date?",
            )
    for s in statements:
        if s.status == "not_evidenced":
            ask(
                6,
                statement_subject(s.number),
                f"How do we know how we are doing on "
                f"\u201c{s.title}\u201d when there are not enough figures to judge it, and "
                "what do families tell us?",
            )
    out, asked = [], set()
    for _, q in sorted(found, key=lambda f: f[0]):  # stable: charter order within a priority
        if q.subject not in asked:
            asked.add(q.subject)
            out.append(q)
    return out[:MOST_QUESTIONS]
