"""The leadership self-review's questions (`charter/self_review.yaml`) and the area SEND
inspection's themes, cross-referenced to the charter's statements (`charter/inspection.yaml`).

Both are data the council may edit: the questions ship as the National College report's
questions for directors and senior leadership teams, under its two themes; the inspection
themes as the Ofsted and CQC area SEND framework's (2023). Each problem reads
`file: key: reason`, like the rest of the charter.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from charter.models import SLUG, Strict

About = Literal["front line", "partners", "voluntary sector", "political figures"]


class Question(Strict):
    """One question leaders answer at each review point."""

    id: str = Field(pattern=SLUG, description="Kept with every answer: do not reuse one.")
    text: str = Field(min_length=10, description="The question, as leaders are asked it.")
    about: About | None = Field(default=None, description="Who a sub-question is about (optional).")


class MainQuestion(Question):
    sub_questions: list[Question] = Field(
        default_factory=list, description="More specific questions under this one."
    )


class ReviewTheme(Strict):
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=3)
    questions: list[MainQuestion] = Field(min_length=1)

    def every_question(self) -> list[Question]:
        """Each question, followed by its sub-questions, in order."""
        out: list[Question] = []
        for q in self.questions:
            out.append(q)
            out.extend(q.sub_questions)
        return out


class SelfReviewFile(Strict):
    source: str = Field(default="", description="Where the questions come from.")
    themes: list[ReviewTheme] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> SelfReviewFile:
        seen: set[str] = set()
        for theme in self.themes:
            for q in theme.every_question():
                if q.id in seen:
                    raise ValueError(f"question id {q.id!r} is used twice")
                seen.add(q.id)
        return self


class InspectionTheme(Strict):
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=10, description="The theme as the framework words it.")
    statements: list[int] = Field(
        min_length=1, description="The charter statements that evidence it."
    )


class InspectionFile(Strict):
    framework: str = Field(min_length=3, description="The inspection framework, by name.")
    themes: list[InspectionTheme] = Field(min_length=1)


def check_inspection(
    found: InspectionFile, numbers: set[int], label: str, problems: list[str]
) -> None:
    """Every statement a theme names exists, and every statement is in some theme (an
    inspector reads the whole charter through the themes)."""
    covered: set[int] = set()
    for i, theme in enumerate(found.themes):
        for j, number in enumerate(theme.statements):
            if number not in numbers:
                problems.append(f"{label}: themes.{i}.statements.{j}: unknown statement {number}")
            covered.add(number)
    left = sorted(numbers - covered)
    if left and numbers:
        problems.append(
            f"{label}: themes: statement{'s' if len(left) > 1 else ''} "
            f"{', '.join(map(str, left))} in no theme; add each to the theme it evidences"
        )
    ids = [t.id for t in found.themes]
    for i, ident in enumerate(ids):
        if ident in ids[:i]:
            problems.append(f"{label}: themes.{i}.id: duplicate {ident!r}")
