"""The database schema and its migrations. The schema version is kept in the database.

Each migration is a list of statements applied in one transaction; never edit a released
migration, add the next one.
"""

from __future__ import annotations

from metrics.store.schema_needs import NEEDS_AND_RESOURCES
from metrics.store.schema_review import EVIDENCE_AND_SELF_REVIEW, REVIEW, SCRUTINY
from metrics.store.schema_work import (
    FIGURE_WRITES_BY_PERIOD,
    FORECASTS_KEPT,
    OUTLOOK_AND_PACKS,
    PUBLISHED_AS_AT,
    REMINDERS,
    STATUSES_KEPT,
)

MIGRATIONS: list[list[str]] = [
    # 1: observations with full revision history, the upload log and the files themselves.
    [
        """CREATE TABLE uploads (
            upload_id     INTEGER PRIMARY KEY,
            file_name     VARCHAR NOT NULL,
            sha256        VARCHAR NOT NULL,
            uploaded_by   VARCHAR NOT NULL,
            uploaded_at   TIMESTAMP NOT NULL,
            kind          VARCHAR NOT NULL,      -- return | published | demo
            outcome       VARCHAR NOT NULL,      -- loaded | no change | rejected
            rows_in_file  INTEGER NOT NULL,
            added         INTEGER NOT NULL,
            revised       INTEGER NOT NULL,
            unchanged     INTEGER NOT NULL,
            rejected      INTEGER NOT NULL,      -- rows with at least one error
            reason        VARCHAR,               -- why figures were revised, as given
            sheet         VARCHAR,               -- which Excel sheet was read
            source        VARCHAR NOT NULL,      -- where its figures came from
            message       VARCHAR                -- a one-line summary
        )""",
        "CREATE SEQUENCE upload_id_seq START 1",
        """CREATE TABLE upload_files (
            sha256   VARCHAR PRIMARY KEY,
            size     BIGINT NOT NULL,
            compression VARCHAR NOT NULL,    -- zlib: zlib.decompress(content) gives the bytes
            content  BLOB NOT NULL
        )""",
        """CREATE TABLE upload_errors (
            upload_id  INTEGER NOT NULL,
            row_no     INTEGER,
            column_name VARCHAR,
            value      VARCHAR,
            problem    VARCHAR NOT NULL,
            fix        VARCHAR
        )""",
        """CREATE TABLE periods (
            label       VARCHAR PRIMARY KEY,     -- canonical, e.g. 2024-25 Q1
            kind        VARCHAR NOT NULL,
            start_date  DATE NOT NULL,
            end_date    DATE NOT NULL
        )""",
        # One row per version of a figure. Lean on purpose (appends of 100,000 rows must stay
        # quick): when, who, why and from where come from the upload; dates from the period.
        """CREATE TABLE observations (
            obs_id        BIGINT NOT NULL,       -- from obs_id_seq; no index: appends stay cheap
            indicator_id  VARCHAR NOT NULL,
            period        VARCHAR NOT NULL,      -- periods.label
            area_code     VARCHAR NOT NULL,
            breakdown     VARCHAR NOT NULL,      -- '' for the total
            grp           VARCHAR NOT NULL,      -- '' for the total
            value         DOUBLE,                -- NULL when a symbol stands instead
            numerator     DOUBLE,
            denominator   DOUBLE,
            symbol        VARCHAR,               -- x c z low u k : ~ (never a number, never 0)
            status        VARCHAR NOT NULL,      -- final | provisional
            note          VARCHAR,
            upload_id     INTEGER NOT NULL,      -- the upload that recorded this version
            is_revision   BOOLEAN NOT NULL,      -- it replaced an earlier version
            superseded_by INTEGER                -- the upload that replaced it; NULL while current
        )""",
        """CREATE VIEW observation_history AS
        SELECT o.*, p.kind AS period_kind, p.start_date AS period_start, p.end_date AS period_end,
               u.uploaded_at AS recorded_at, u.uploaded_by AS recorded_by, u.source,
               CASE WHEN o.is_revision THEN u.reason END AS revision_reason,
               s.uploaded_at AS superseded_at
        FROM observations o
        JOIN periods p ON p.label = o.period
        JOIN uploads u ON u.upload_id = o.upload_id
        LEFT JOIN uploads s ON s.upload_id = o.superseded_by""",
        "CREATE SEQUENCE obs_id_seq START 1",
        """CREATE TABLE schema_version (
            version    INTEGER NOT NULL,
            applied_at TIMESTAMP NOT NULL
        )""",
    ],
]

MIGRATIONS.append(
    [
        # 2: names of areas met in published statistics, with the old three-digit LA code.
        """CREATE TABLE areas (
        code      VARCHAR PRIMARY KEY,   -- GSS code
        name      VARCHAR NOT NULL,
        level     VARCHAR NOT NULL,      -- National | Regional | Local authority
        old_code  VARCHAR                -- e.g. the DfE's three-digit old_la_code
    )""",
    ]
)

MIGRATIONS.append(
    [
        # 3: published statistics and our own figures are separate sources: a DfE release
        # never revises a figure we supplied ourselves, and both can be shown side by side.
        "ALTER TABLE observations ADD COLUMN origin VARCHAR DEFAULT 'local'",
        """UPDATE observations SET origin = 'published'
        WHERE upload_id IN (SELECT upload_id FROM uploads WHERE kind = 'published')""",
    ]
)

MIGRATIONS.append(
    [
        # 4: the audit trail, append-only: who did what, when, from where, and the values
        # before and after. Only metrics/access/audit.py touches it, and only to add and read.
        "CREATE SEQUENCE audit_id_seq START 1",
        """CREATE TABLE audit (
            audit_id  BIGINT PRIMARY KEY,
            done_at   TIMESTAMP NOT NULL,
            subject   VARCHAR NOT NULL,  -- the identity provider's sub; on the CLI the OS user
            name      VARCHAR NOT NULL,
            email     VARCHAR NOT NULL,
            via       VARCHAR NOT NULL,  -- app | cli | demo | before sign-in
            kind      VARCHAR NOT NULL,  -- upload, upload rejected, figure revised, ...
            object    VARCHAR NOT NULL,  -- what was acted on
            summary   VARCHAR NOT NULL,
            before    VARCHAR,           -- the value before, where a value changed
            after     VARCHAR
        )""",
        # Uploads made before the audit trail existed are its first entries, so that it is
        # complete; who made them is only known by the name the upload log kept.
        """INSERT INTO audit
        SELECT nextval('audit_id_seq'), uploaded_at, uploaded_by, uploaded_by, '',
               'before sign-in',
               CASE WHEN kind = 'published' THEN 'published import' ELSE 'upload' END
               || CASE WHEN outcome = 'rejected' THEN ' rejected' ELSE '' END,
               'upload ' || upload_id || ': ' || file_name,
               coalesce(message, outcome), NULL, NULL
        FROM uploads ORDER BY upload_id""",
    ]
)

MIGRATIONS.append(REVIEW)  # 5: see metrics/store/schema_review.py

MIGRATIONS.append(SCRUTINY)  # 6: see metrics/store/schema_review.py

MIGRATIONS.append(
    [
        # 7: which release each published figure came from, as the end of the newest period
        # its file covers: an older release must not silently overwrite a newer one. Imports
        # made before this are dated by the newest figure they stored (the best known).
        "ALTER TABLE uploads ADD COLUMN release_end DATE",
        """UPDATE uploads SET release_end = (
            SELECT max(p.end_date) FROM observations o JOIN periods p ON p.label = o.period
            WHERE o.upload_id = uploads.upload_id)
        WHERE kind = 'published'""",
        """CREATE OR REPLACE VIEW observation_history AS
        SELECT o.*, p.kind AS period_kind, p.start_date AS period_start, p.end_date AS period_end,
               u.uploaded_at AS recorded_at, u.uploaded_by AS recorded_by, u.source,
               CASE WHEN o.is_revision THEN u.reason END AS revision_reason,
               s.uploaded_at AS superseded_at, u.release_end
        FROM observations o
        JOIN periods p ON p.label = o.period
        JOIN uploads u ON u.upload_id = o.upload_id
        LEFT JOIN uploads s ON s.upload_id = o.superseded_by""",
    ]
)

MIGRATIONS.append(
    [
        # 8: partners' returns. A provider's upload is submitted (kept, not stored); an
        # analyst accepts it (its figures are then stored by a second upload) or returns it
        # with a reason the provider sees. What each submission covers is kept for
        # completeness and timeliness. The upload log and the audit trail keep the rest.
        """CREATE TABLE submissions (
            upload_id      INTEGER PRIMARY KEY,  -- the submitted file's upload
            provider       VARCHAR NOT NULL,     -- an id in charter/providers.yaml
            state          VARCHAR NOT NULL,     -- submitted | accepted | returned
            decided_by     VARCHAR,
            decided_at     TIMESTAMP,
            reason         VARCHAR,              -- why it was returned
            stored_upload  INTEGER               -- the upload that stored it, once accepted
        )""",
        """CREATE TABLE submission_items (
            upload_id      INTEGER NOT NULL,
            indicator_id   VARCHAR NOT NULL,
            period         VARCHAR NOT NULL,
            figures        INTEGER NOT NULL,
            PRIMARY KEY (upload_id, indicator_id, period)
        )""",
    ]
)


MIGRATIONS.append(EVIDENCE_AND_SELF_REVIEW)  # 9: see metrics/store/schema_review.py


MIGRATIONS.append(
    [
        # A form sent twice makes one thing (metrics/store/once.py): each form the app shows
        # carries a token, kept here with what its first sending made. The key refuses a
        # second row for a token even from two sendings at the same moment.
        """CREATE TABLE form_sendings (
            token    VARCHAR PRIMARY KEY,
            what     VARCHAR NOT NULL,   -- action, action update, question, reply, evidence
            made     INTEGER NOT NULL,   -- its number (an action's, a question's, ...)
            made_by  VARCHAR NOT NULL,
            made_at  TIMESTAMP NOT NULL
        )""",
    ]
)

MIGRATIONS.append(
    [
        # The data version every cache is keyed on: each committed write transaction adds a
        # row (metrics/store/connection.py, `transaction`). A row per write, not one counter
        # updated in place, because two writers updating one row would always collide.
        "CREATE SEQUENCE data_change_seq START 1",
        """CREATE TABLE data_changes (
            version     BIGINT PRIMARY KEY DEFAULT nextval('data_change_seq'),
            changed_at  TIMESTAMP NOT NULL
        )""",
    ]
)

# A statement starting with this comment is run on PostgreSQL only (Connection.schema_statements).
POSTGRES_ONLY = "-- postgresql only"

MIGRATIONS.append(
    [
        # 12: indexes for assessing a council among many, on PostgreSQL only. Reading one
        # area's current totals, every area's value of a figure, or which figures are
        # published, scanned the whole table there (1.6 million versions in the 153-council
        # national demo: 0.8 s for one council's charter status against DuckDB's 0.09 s).
        # Partial: current totals only, a tenth of the versions. DuckDB keeps no index (its
        # scans are quick, and its appends stay cheap; migration 1).
        f"""{POSTGRES_ONLY}
        CREATE INDEX observations_current_by_area ON observations (area_code, indicator_id, period)
        WHERE superseded_by IS NULL AND breakdown = ''""",
        f"""{POSTGRES_ONLY}
        CREATE INDEX observations_current_by_figure ON observations (indicator_id, period)
        WHERE superseded_by IS NULL AND breakdown = ''""",
        f"""{POSTGRES_ONLY}
        CREATE INDEX observations_published ON observations (indicator_id, period)
        WHERE origin = 'published' AND superseded_by IS NULL AND breakdown = ''""",
    ]
)

MIGRATIONS.append(REMINDERS)  # 13: see metrics/store/schema_work.py
MIGRATIONS.append(OUTLOOK_AND_PACKS)  # 14: see metrics/store/schema_work.py
MIGRATIONS.append(NEEDS_AND_RESOURCES)  # 15: see metrics/store/schema_needs.py
MIGRATIONS.append(PUBLISHED_AS_AT)  # 16: see metrics/store/schema_work.py
MIGRATIONS.append(FORECASTS_KEPT)  # 17: see metrics/store/schema_work.py

MIGRATIONS.append(
    [
        # 18: the kinds of data each write changed (metrics/store/changes.py): a committed
        # transaction adds its `data_changes` row as before and a row here per kind it
        # wrote, so a cache is keyed on the version of what it reads. The writes before this
        # migration are of unknown kinds: the latest stands for them all ('*').
        """CREATE TABLE data_change_kinds (
            version  BIGINT NOT NULL,   -- data_changes.version
            kind     VARCHAR NOT NULL   -- a table; observations:local | published; * (all)
        )""",
        """INSERT INTO data_change_kinds
        SELECT version, '*' FROM data_changes ORDER BY version DESC LIMIT 1""",
    ]
)

MIGRATIONS.append(
    [
        # 19: the upload that last wrote each indicator's figures of each origin. Every
        # write of figures sets its rows in its own transaction (metrics/store/figures.py,
        # CLAIM), so two writers of one indicator's figures at the same moment change the
        # same row and one of them stores nothing (WriteConflict), on either backend.
        # Before, two uploads adding the same new figure both stored it (adding rows never
        # conflicts): two current versions of one figure. A key on `observations` itself
        # would be an index updated by every version added (DuckDB's are ART indexes) and
        # cannot be partial there (current versions only); this is a row per indicator.
        """CREATE TABLE figure_writes (
            indicator_id  VARCHAR NOT NULL,
            origin        VARCHAR NOT NULL,   -- local | published, as observations.origin
            upload_id     INTEGER NOT NULL,
            PRIMARY KEY (indicator_id, origin)
        )""",
    ]
)

MIGRATIONS.append(FIGURE_WRITES_BY_PERIOD)  # 20: see metrics/store/schema_work.py
MIGRATIONS.append(STATUSES_KEPT)  # 21: see metrics/store/schema_work.py

SCHEMA_VERSION = len(MIGRATIONS)
