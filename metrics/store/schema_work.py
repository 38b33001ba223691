"""Migrations 13, 14, 16 and 17: who owes what and what was sent (reminders, issue 30), and
where each measure is heading and how a pack is shaped (trajectories, key messages, pack
sections, issue 31), the date published figures are as at (issue 32), and the forecasts
kept by what they were computed from (issue 34). Kept apart from schema.py by what they
serve; appended there in order."""

from __future__ import annotations

REMINDERS: list[str] = [
    # 13: reminders (issue 30). A councillor's question is assigned to an officer (an
    # owner id in charter/owners.yaml) when asked or later by the chair; a reassignment
    # adds a version. Each message `remind` sends or fails to send is a row of
    # reminder_messages (to whom and what about, never its body); each item a sent
    # message carried is a row of reminder_sent, whose key means the same reminder is
    # never sent twice (a failed message records no item, so the next run tries again).
    # (Since: a message is added as 'sending' with its items before it is sent, and its
    # outcome set after: metrics/store/reminders.py's claim and settle.)
    # A person's choice to receive digests or not adds a version.
    """CREATE TABLE question_assignments (
            question_id    INTEGER NOT NULL,
            version        INTEGER NOT NULL,
            officer        VARCHAR NOT NULL,  -- an owner id in charter/owners.yaml
            assigned_by    VARCHAR NOT NULL,
            assigned_at    TIMESTAMP NOT NULL,
            PRIMARY KEY (question_id, version)
        )""",
    "CREATE SEQUENCE reminder_message_seq START 1",
    """CREATE TABLE reminder_messages (
            message_id     BIGINT PRIMARY KEY,
            recipient      VARCHAR NOT NULL,  -- an email address
            sent_at        TIMESTAMP NOT NULL,
            outcome        VARCHAR NOT NULL,  -- sent | failed
            items          VARCHAR NOT NULL,  -- the items' keys, one a line
            error          VARCHAR            -- why it failed (the server's words)
        )""",
    """CREATE TABLE reminder_sent (
            recipient      VARCHAR NOT NULL,
            item           VARCHAR NOT NULL,  -- e.g. commentary:2026-27 Q2:indicator:<id>
            stage          VARCHAR NOT NULL,  -- reminder | overdue | escalation
            message_id     BIGINT NOT NULL,
            sent_at        TIMESTAMP NOT NULL,
            PRIMARY KEY (recipient, item, stage)
        )""",
    """CREATE TABLE reminder_preferences (
            email          VARCHAR NOT NULL,
            version        INTEGER NOT NULL,
            digests        BOOLEAN NOT NULL,  -- false: no digests (escalations still come)
            changed_by     VARCHAR NOT NULL,
            changed_at     TIMESTAMP NOT NULL,
            PRIMARY KEY (email, version)
        )""",
]


OUTLOOK_AND_PACKS: list[str] = [
    # 14: issue 31. A trajectory: the chair's stepped targets to a goal, one per financial
    # year (steps: JSON {"2026-27": 70.0, ...}); the latest version of an indicator's is in
    # force, one with no steps withdraws it. Versions are kept, never replaced.
    """CREATE TABLE trajectories (
            indicator_id  VARCHAR NOT NULL,
            version       INTEGER NOT NULL,
            steps         VARCHAR NOT NULL,
            reason        VARCHAR NOT NULL,
            set_by        VARCHAR NOT NULL,
            set_at        TIMESTAMP NOT NULL,
            PRIMARY KEY (indicator_id, version)
        )""",
    # The key messages at the front of a quarter's packs, as the chair wrote them:
    # versioned, and frozen once the quarter is signed off (metrics/review/).
    """CREATE TABLE key_messages (
            quarter       VARCHAR NOT NULL,
            version       INTEGER NOT NULL,
            better        VARCHAR NOT NULL,
            worse         VARCHAR NOT NULL,
            off_track     VARCHAR NOT NULL,
            asks          VARCHAR NOT NULL,
            written_by    VARCHAR NOT NULL,
            written_at    TIMESTAMP NOT NULL,
            PRIMARY KEY (quarter, version)
        )""",
    # Which sections a pack for an audience holds, in order (comma-separated keys); a
    # signed-off quarter's pack uses the choice in force at its sign-off.
    """CREATE TABLE pack_sections (
            audience      VARCHAR NOT NULL,
            version       INTEGER NOT NULL,
            sections      VARCHAR NOT NULL,
            chosen_by     VARCHAR NOT NULL,
            chosen_at     TIMESTAMP NOT NULL,
            PRIMARY KEY (audience, version)
        )""",
]


PUBLISHED_AS_AT: list[str] = [
    # 16: issue 32. The date each indicator's published figures (an EES or LAIT import) are
    # as at, said on every benchmark ("published figures as at 8 April 2026"): the newest
    # of the files imported for it, written in the import's transaction.
    """CREATE TABLE published_as_at (
            indicator_id  VARCHAR PRIMARY KEY,
            as_at         DATE NOT NULL,
            source        VARCHAR NOT NULL
        )""",
]


FORECASTS_KEPT: list[str] = [
    # 17: issue 34. A forecast (metrics/assess/forecast.py: some fifteen model fits) kept
    # by what it was computed from: `key` is a hash of the figures, the periods ahead, the
    # bounds, the method's settings, the code and the libraries' versions
    # (metrics/assess/forecast_kept.py), so a kept forecast is never stale: new figures
    # make a new key. Derived data: written without bumping the data version.
    """CREATE TABLE forecasts_kept (
            key           VARCHAR PRIMARY KEY,
            forecast      VARCHAR NOT NULL,  -- JSON: method, errors, origins, points
            made_at       TIMESTAMP NOT NULL
        )""",
]


FIGURE_WRITES_BY_PERIOD: list[str] = [
    # 20: migration 19's rows per indicator made two uploads of different periods of one
    # indicator conflict (a provider's return accepted while an analyst corrects an old
    # quarter): a figure added twice needs the same indicator, period and origin, so that is
    # the row each write of figures claims now (metrics/store/figures.py, CLAIM).
    "DROP TABLE figure_writes",
    """CREATE TABLE figure_writes (
            indicator_id  VARCHAR NOT NULL,
            period        VARCHAR NOT NULL,   -- periods.label
            origin        VARCHAR NOT NULL,   -- local | published, as observations.origin
            upload_id     INTEGER NOT NULL,
            PRIMARY KEY (indicator_id, period, origin)
        )""",
]


STATUSES_KEPT: list[str] = [
    # 21: issue 34. An indicator's status at a quarter kept by what it was worked out from:
    # `key` is a hash of the database, the version of the indicator's data, the indicator,
    # the quarter, the charter and the program (metrics/assess/status_stored.py), so a kept
    # status is never stale. A fresh process (a command-line pack) reads them rather than
    # working every status out again. Derived data: written without bumping the data
    # version; a status kept under a new key replaces the indicator's at that quarter.
    """CREATE TABLE statuses_kept (
            key           VARCHAR PRIMARY KEY,
            indicator_id  VARCHAR NOT NULL,
            quarter       VARCHAR NOT NULL,   -- periods.label of the quarter assessed at
            status        VARCHAR NOT NULL,   -- JSON: the status's fields
            made_at       TIMESTAMP NOT NULL
        )""",
]
