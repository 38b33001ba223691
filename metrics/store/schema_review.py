"""The quarterly review's tables, as migrations that metrics/store/schema.py applies in order: the
review itself (5), overview & scrutiny's questions (6), and evidence with the leadership
self-review (9). Never edit a released migration; add the next one in metrics/store/schema.py.
"""

from __future__ import annotations

REVIEW: list[str] = [
    # 5: the quarterly review. Nothing here is edited in place: commentary, agreed
    # statuses and action updates add versions, so every edit is kept and readable as at
    # any moment, like the figures.
    """CREATE TABLE review_quarters (
            quarter        VARCHAR PRIMARY KEY,
            state          VARCHAR NOT NULL,  -- open | commentary drafted | circulated |
                                              -- discussed | signed off
            meeting_date   DATE,
            signed_off_at  TIMESTAMP,         -- figures pinned as they stood at this moment
            signed_off_by  VARCHAR,
            snapshot       VARCHAR,           -- JSON: statuses and figures at sign-off
            changed_at     TIMESTAMP NOT NULL,
            changed_by     VARCHAR NOT NULL
        )""",
    "CREATE SEQUENCE commentary_id_seq START 1",
    """CREATE TABLE commentary (
            commentary_id  BIGINT PRIMARY KEY,
            quarter        VARCHAR NOT NULL,
            subject        VARCHAR NOT NULL,  -- indicator:<id> | statement:<number>
            version        INTEGER NOT NULL,  -- 1, 2, ... for each quarter and subject
            what_happens   VARCHAR NOT NULL,
            why            VARCHAR NOT NULL,
            what_next      VARCHAR NOT NULL,
            written_by     VARCHAR NOT NULL,
            written_at     TIMESTAMP NOT NULL,
            figure_period  VARCHAR,           -- the figure it was written against
            figure_value   DOUBLE,
            figure_shown   VARCHAR,
            copied_from    VARCHAR,           -- the quarter it was copied from, until edited
            UNIQUE (quarter, subject, version)
        )""",
    "CREATE SEQUENCE action_id_seq START 1",
    """CREATE TABLE actions (
            action_id      INTEGER PRIMARY KEY,
            title          VARCHAR NOT NULL,
            statement      INTEGER,
            indicators     VARCHAR NOT NULL,  -- comma-separated indicator ids, '' for none
            owner          VARCHAR NOT NULL,  -- an owner id in charter/owners.yaml
            due            DATE NOT NULL,
            agreed_quarter VARCHAR NOT NULL,
            created_by     VARCHAR NOT NULL,
            created_at     TIMESTAMP NOT NULL
        )""",
    """CREATE TABLE action_updates (
            action_id      INTEGER NOT NULL,
            version        INTEGER NOT NULL,
            status         VARCHAR NOT NULL,  -- not started | on track | at risk | done |
                                              -- dropped
            note           VARCHAR NOT NULL,
            updated_by     VARCHAR NOT NULL,
            updated_at     TIMESTAMP NOT NULL,
            PRIMARY KEY (action_id, version)
        )""",
    """CREATE TABLE agreed_statuses (
            quarter        VARCHAR NOT NULL,
            subject        VARCHAR NOT NULL,  -- indicator:<id> | statement:<number>
            version        INTEGER NOT NULL,
            status         VARCHAR,           -- NULL: the agreement was withdrawn
            computed       VARCHAR NOT NULL,  -- the computed status when agreed
            reason         VARCHAR NOT NULL,
            agreed_by      VARCHAR NOT NULL,
            agreed_at      TIMESTAMP NOT NULL,
            PRIMARY KEY (quarter, subject, version)
        )""",
]

SCRUTINY: list[str] = [
    # 6: overview & scrutiny members' questions about a statement or indicator, and the
    # answers and follow-ups recorded against them, in order. Nothing is edited in place.
    "CREATE SEQUENCE question_id_seq START 1",
    """CREATE TABLE scrutiny_questions (
            question_id    INTEGER PRIMARY KEY,
            quarter        VARCHAR NOT NULL,  -- the quarter being scrutinised
            subject        VARCHAR NOT NULL,  -- indicator:<id> | statement:<number>
            question       VARCHAR NOT NULL,
            asked_by       VARCHAR NOT NULL,
            asked_at       TIMESTAMP NOT NULL
        )""",
    """CREATE TABLE scrutiny_replies (
            question_id    INTEGER NOT NULL,
            number         INTEGER NOT NULL,  -- 1, 2, ... in the order written
            kind           VARCHAR NOT NULL,  -- answer | follow-up
            text           VARCHAR NOT NULL,
            written_by     VARCHAR NOT NULL,
            written_at     TIMESTAMP NOT NULL,
            PRIMARY KEY (question_id, number)
        )""",
]

EVIDENCE_AND_SELF_REVIEW: list[str] = [
    # 9: evidence beyond the numbers, and the leadership self-review. An evidence item is
    # what families, young people, front-line staff or partners told us, dated and tied to
    # statements (and optionally indicators); a survey result carries its question, how
    # many answered and the share who agreed, so a repeated survey is a series. An item is
    # withdrawn (with a reason), never deleted. Attachments live in their own table, so
    # listing evidence never reads their bytes.
    "CREATE SEQUENCE evidence_id_seq START 1",
    """CREATE TABLE evidence_items (
            evidence_id    INTEGER PRIMARY KEY,
            kind           VARCHAR NOT NULL,  -- see metrics/evidence/items.py KINDS
            source         VARCHAR NOT NULL,
            summary        VARCHAR NOT NULL,
            evidence_date  DATE NOT NULL,
            statements     VARCHAR NOT NULL,  -- comma-separated statement numbers
            indicators     VARCHAR NOT NULL,  -- comma-separated indicator ids, may be empty
            question       VARCHAR,           -- survey results only
            answered       INTEGER,
            agreed_share   DOUBLE,            -- percent who agreed
            warnings       VARCHAR NOT NULL,  -- personal-data warnings the author saw
            created_by     VARCHAR NOT NULL,
            created_at     TIMESTAMP NOT NULL,
            withdrawn_by   VARCHAR,
            withdrawn_at   TIMESTAMP,
            withdrawn_why  VARCHAR
        )""",
    """CREATE TABLE evidence_attachments (
            evidence_id    INTEGER PRIMARY KEY,
            file_name      VARCHAR NOT NULL,
            media_type     VARCHAR NOT NULL,  -- application/pdf | image/png | image/jpeg
            size_bytes     INTEGER NOT NULL,
            content        BLOB NOT NULL
        )""",
    # A review point is a date leaders answer the questions at; its answers are versioned
    # (a change is a new version, audited) and frozen once it is signed off.
    """CREATE TABLE self_review_points (
            held_on        DATE PRIMARY KEY,
            state          VARCHAR NOT NULL,  -- open | signed off
            opened_by      VARCHAR NOT NULL,
            opened_at      TIMESTAMP NOT NULL,
            signed_off_by  VARCHAR,
            signed_off_at  TIMESTAMP
        )""",
    """CREATE TABLE self_review_answers (
            held_on        DATE NOT NULL,
            question_id    VARCHAR NOT NULL,  -- an id in charter/self_review.yaml
            version        INTEGER NOT NULL,
            confidence     VARCHAR NOT NULL,  -- not | partly | mostly | fully
            links          VARCHAR NOT NULL,  -- indicator:<id>,evidence:<n>,action:<n>
            will_do        VARCHAR NOT NULL,
            answered_by    VARCHAR NOT NULL,
            answered_at    TIMESTAMP NOT NULL,
            PRIMARY KEY (held_on, question_id, version)
        )""",
]
