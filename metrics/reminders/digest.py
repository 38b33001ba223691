"""What each person is sent on a run: one digest of every reminder due to them today, less
what was sent before and (for someone who turned digests off) all but escalations.

The words are the items' own (work.py: no figures, nothing a person typed) and links to the
pages, where the app shows each reader what their role may see. The HTML part is the text
part marked up, every word escaped: never anything a person typed as HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from charter import Charter
from charter.reminders import Reminders
from metrics.dates import long_date
from metrics.publish.escape import html_text
from metrics.reminders import links
from metrics.reminders.schedule import ESCALATION, OVERDUE, REMINDER
from metrics.reminders.work import Item

HEADINGS = {
    ESCALATION: "Late, and now with you as chair",
    OVERDUE: "Overdue",
    REMINDER: "Due soon",
}


@dataclass(frozen=True)
class Notice:
    """One item in one person's digest, at one stage."""

    item: Item
    stage: str

    @property
    def record(self) -> tuple[str, str]:
        return self.item.key, self.stage


@dataclass(frozen=True)
class Digest:
    """Everything one person is sent on a run."""

    email: str
    name: str
    notices: tuple[Notice, ...]

    @property
    def records(self) -> list[tuple[str, str]]:
        return [n.record for n in self.notices]


def notices(items: Iterable[Item], charter: Charter, plan: Reminders) -> list[tuple[str, Notice]]:
    """(address, notice) for every reminder today calls for: to whoever owes each item, and
    each escalation to the chair."""
    chair = charter.owners.get(plan.chair)
    out = []
    for item in items:
        if item.stage is not None and item.email:
            out.append((item.email, Notice(item, item.stage)))
        if item.escalate and chair is not None and chair.email:
            out.append((chair.email, Notice(item, ESCALATION)))
    return out


def digests(
    found: list[tuple[str, Notice]],
    charter: Charter,
    sent: set[tuple[str, str, str]],
    no_digests: set[str],
) -> list[Digest]:
    """One digest per address: the notices not sent before; for an address whose digests
    are off, escalations only."""
    by_address: dict[str, list[Notice]] = {}
    for address, notice in found:
        address = address.lower()
        if (address, *notice.record) in sent:
            continue
        if address in no_digests and notice.stage != ESCALATION:
            continue
        mine = by_address.setdefault(address, [])
        if notice not in mine:
            mine.append(notice)
    return [
        Digest(address, _name(charter, address), tuple(found_))
        for address, found_ in sorted(by_address.items())
    ]


def _name(charter: Charter, address: str) -> str:
    for key, owner in charter.owners.items():
        if owner.email == address:
            return charter.owner_name(key)
    for provider in charter.providers.values():
        if provider.contact.email == address:
            return provider.contact.name
    return address


def subject(digest: Digest, charter: Charter) -> str:
    n = len(digest.notices)
    late = sum(x.stage != REMINDER for x in digest.notices)
    things = f"{n} thing{'s' if n != 1 else ''}"
    said = f"{things} to do, {late} late" if late else f"{things} due soon"
    return f"{charter.council.name}: {said}"


def _groups(digest: Digest) -> list[tuple[str, list[Notice]]]:
    return [
        (HEADINGS[stage], [n for n in digest.notices if n.stage == stage])
        for stage in (ESCALATION, OVERDUE, REMINDER)
        if any(n.stage == stage for n in digest.notices)
    ]


def _line(notice: Notice, today: date) -> str:
    item = notice.item
    who = f" (owed by {item.who})" if notice.stage == ESCALATION else ""
    return f"{item.what}{who}: {item.due_words(today)}"


def text(digest: Digest, charter: Charter, base: str, today: date) -> str:
    """The plain-text part."""
    lines = [
        f"Dear {digest.name},",
        "",
        f"This is your reminder from {charter.council.name}'s outcomes dashboard for "
        f"{long_date(today)}. Each item links to its page, which shows the details.",
    ]
    for heading, group in _groups(digest):
        lines += ["", heading, "-" * len(heading)]
        for n in group:
            lines += [f"* {_line(n, today)}", f"  {links.full(base, n.item.link)}"]
    lines += ["", _footer(base)]
    return "\n".join(lines) + "\n"


def html(digest: Digest, charter: Charter, base: str, today: date) -> str:
    """The HTML alternative: headings and lists a screen reader can move through, every
    word escaped."""
    e = html_text
    parts = [
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{e(subject(digest, charter))}</title></head><body>",
        f"<p>Dear {e(digest.name)},</p>",
        f"<p>This is your reminder from {e(charter.council.name)}'s outcomes dashboard for "
        f"{e(long_date(today))}. Each item links to its page, which shows the details.</p>",
    ]
    for heading, group in _groups(digest):
        parts.append(f"<h2>{e(heading)}</h2><ul>")
        for n in group:
            href = e(links.full(base, n.item.link))
            parts.append(f'<li>{e(_line(n, today))}. <a href="{href}">Open {e(_page(n))}</a></li>')
        parts.append("</ul>")
    parts.append(f"<p>{e(_footer(base))}</p></body></html>")
    return "\n".join(parts) + "\n"


PAGES = {
    "commentary": "the quarterly review",
    "action": "the actions",
    "question": "the scrutiny page",
    "return": "your returns",
}


def _page(notice: Notice) -> str:
    return PAGES[notice.item.kind]


def _footer(base: str) -> str:
    return (
        "You can turn these digests off on your My work page (escalations to the chair "
        f"still come): {links.full(base, links.my_work())}"
    )
