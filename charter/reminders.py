"""When work is due and when the people who owe it are reminded: the `reminders:` section of
`charter/council.yaml` (issue 30). `python -m metrics remind` reads it; every mistake in it
stops the charter loading (reminders sent on a schedule nobody meant are worse than none).

Working days skip weekends and England's bank holidays (metrics/partners/due.py). A
provider's return is due its `due_working_days` after the period ends (providers.yaml); the
schedule says only when its contact is reminded.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from charter.base import SLUG, Strict


class CommentarySchedule(Strict):
    """The story behind each exception, owed by its indicator's owner."""

    due_working_days: int = Field(
        default=10, ge=1, le=60, description="Working days after the quarter ends."
    )
    remind_before_working_days: int = Field(
        default=3, ge=0, le=30, description="Remind the owner this many working days before."
    )
    escalate_after_working_days: int = Field(
        default=2, ge=0, le=60, description="Tell the chair this many working days after."
    )

    @model_validator(mode="after")
    def _before_due(self) -> CommentarySchedule:
        if self.remind_before_working_days >= self.due_working_days:
            raise ValueError(
                "remind_before_working_days must be fewer than due_working_days (a reminder "
                "before the quarter has even ended is no use)"
            )
        return self


class ActionSchedule(Strict):
    """Actions the planning group agreed, owed by their owners."""

    remind_before_days: int = Field(
        default=7, ge=0, le=90, description="Remind the owner this many days before it is due."
    )
    remind_when_overdue: bool = Field(default=True, description="Remind again once overdue.")


class QuestionSchedule(Strict):
    """Councillors' questions, owed by the officer assigned (the chair until one is)."""

    remind_after_working_days: int = Field(
        default=10, ge=1, le=60, description="Remind when unanswered this many working days."
    )


class ReturnSchedule(Strict):
    """Providers' returns, owed by each provider's contact (due: providers.yaml)."""

    remind_before_working_days: int = Field(
        default=1, ge=0, le=30, description="Remind the contact this many working days before."
    )
    remind_when_overdue: bool = Field(default=True, description="Remind again once overdue.")


class Reminders(Strict):
    """Who is reminded of what, and when."""

    chair: str = Field(
        pattern=SLUG,
        description="The owner id (owners.yaml) escalations go to, and who assigns questions.",
    )
    commentary: CommentarySchedule = CommentarySchedule()
    actions: ActionSchedule = ActionSchedule()
    questions: QuestionSchedule = QuestionSchedule()
    returns: ReturnSchedule = ReturnSchedule()
