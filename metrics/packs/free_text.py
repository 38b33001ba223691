"""Free text going into a published (scrutiny) pack, checked before the pack is made: the
quarter's commentary, the planning group's agreed statuses with their reasons, the titles
and latest notes of the actions not yet done, members' questions and their answers, and the
evidence items the pack carries. It looks for small numbers of children, families, plans and
the like (in digits or words: "five plans", "3 children", up to the council's threshold),
names, and the personal data the evidence check finds (metrics/evidence/personal.py). The
author sees the warning where they write; the chair sees every warning on the Packs page
before making the pack.
A safety net, as for evidence: the words are the author's to change."""

from __future__ import annotations

from dataclasses import dataclass

from charter import Charter
from metrics.evidence import items as evidence_items
from metrics.evidence.personal import Warning_
from metrics.periods.text import parse_period
from metrics.publish.policy import DisclosurePolicy
from metrics.review import actions, agreed, commentary, cycle, key_messages
from metrics.review.common import SIGNED_OFF, subject_title
from metrics.scrutiny import questions
from metrics.store.connection import Store


@dataclass(frozen=True)
class TextWarning:
    where: str  # "commentary on Short breaks", "answer to question 3"
    author: str
    warning: Warning_

    def sentence(self) -> str:
        return f"{self.where} (written by {self.author}): {self.warning.sentence()}"


def check(charter: Charter, *texts: str | None) -> list[Warning_]:
    """What a published paper should not say, in these texts."""
    return DisclosurePolicy(charter).small_numbers_in(*texts)


def pack_warnings(store: Store, charter: Charter, quarter: str) -> list[TextWarning]:
    """Every warning about the free text the quarter's scrutiny pack would carry."""
    out: list[TextWarning] = []

    def look(where: str, author: str, *texts: str | None) -> None:
        out.extend(TextWarning(where, author, w) for w in check(charter, *texts))

    for subject, c in commentary.current(store, quarter).items():
        look(f"Commentary on {subject_title(charter, subject)}", c.written_by, c.what, c.why,
             c.next)  # fmt: skip
    review = cycle.read(store, quarter)  # as the pack reads them: at sign-off, once signed off
    pinned_at = review.signed_off_at if review.state == SIGNED_OFF else None
    written = key_messages.current(store, review.quarter, as_at=pinned_at)
    if written is not None:
        look("The key messages", written.written_by, *written.texts)
    for subject, a in agreed.current(store, review.quarter, as_at=pinned_at).items():
        look(f"Agreed status of {subject_title(charter, subject)}", a.agreed_by, a.reason)
    for x in actions.listed(store, as_at=pinned_at):
        if x.status not in actions.CLOSED:  # the pack's table of actions not yet done
            look(f"Action {x.action_id}", x.created_by, x.title)
            look(f"Latest note on action {x.action_id}", x.updated_by, x.note)
    for q in questions.for_pack(store, quarter):
        look(f"Question {q.question_id}", q.asked_by, q.question)
        for r in q.replies:
            look(f"{r.kind.capitalize()} to question {q.question_id}", r.written_by, r.text)
    end = parse_period(quarter).end
    for item in evidence_items.recent(evidence_items.listed(store), end):
        look(f"Evidence item {item.evidence_id}", item.created_by, item.source, item.summary)
    return out
