"""The charter as loaded: every file's content, checked against the others (loader.py), and
the questions the rest of the app asks of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from charter.leadership import InspectionTheme, ReviewTheme
from charter.models import Breakdown, Council, Indicator, Organisation, Owner, Statement
from charter.needs import NeedsFile
from charter.neighbours import Neighbours, neighbours_of
from charter.providers import Layout, Provider
from charter.reminders import Reminders


@dataclass(frozen=True)
class Charter:
    statements: tuple[Statement, ...]
    indicators: dict[str, Indicator]
    breakdowns: dict[str, Breakdown]
    council: Council
    owners: dict[str, Owner] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    layouts: dict[str, Layout] = field(default_factory=dict)  # by provider id
    self_review: tuple[ReviewTheme, ...] = ()  # the leadership self-review's questions
    inspection: tuple[InspectionTheme, ...] = ()  # the area SEND inspection's themes
    framework: str = ""  # the inspection framework's name
    reminders: Reminders | None = None  # council.yaml's schedule; None: no reminders sent
    needs: NeedsFile | None = None  # needs.yaml: localities, prevalence, sources, services
    boundaries: dict[str, Any] | None = None  # the localities' GeoJSON (needs.yaml names it)

    def neighbours(self) -> Neighbours:
        """The comparator group: council.yaml's `comparators`, else DfE's statistical
        neighbours of the council (load_charter refuses a council neither names)."""
        council = self.council
        return neighbours_of(council.code, council.comparators, note=council.comparators_note)

    def supplier(self, indicator: str) -> str | None:
        """The provider that supplies an indicator, if any."""
        for key, provider in self.providers.items():
            if indicator in provider.indicators:
                return key
        return None

    def question_ids(self) -> list[str]:
        """Every self-review question's id, each followed by its sub-questions', in order."""
        return [q.id for theme in self.self_review for q in theme.every_question()]

    def question(self, ident: str) -> str:
        """A self-review question's text."""
        for theme in self.self_review:
            for q in theme.every_question():
                if q.id == ident:
                    return q.text
        raise KeyError(f"no self-review question {ident}")

    def statement(self, number: int) -> Statement:
        for statement in self.statements:
            if statement.number == number:
                return statement
        raise KeyError(f"no statement {number}")

    def owner_name(self, owner: str) -> str:
        """'Head of SEND (Wrenfield Council)'."""
        o = self.owners.get(owner)
        if o is None:
            return owner
        org = self.organisations.get(o.organisation)
        return f"{o.name} ({org.name})" if org else o.name

    def indicators_for(self, number: int) -> list[Indicator]:
        return [i for i in self.indicators.values() if number in i.statements]
