"""Migration 15: the needs baseline and the resources (issue 33). Aggregate counts only:
no child's record is ever kept. Each row carries the upload it came in (`uploads`, logged and
audited like any return); a later upload of the same quarter and source (a year and service,
a year, area and service) supersedes it for reading, and the earlier rows are kept."""

from __future__ import annotations

NEEDS_AND_RESOURCES: list[str] = [
    # The needs return: children a source knows (caseload) by locality and primary need, as
    # at a month; or disabled children moving into the area in the quarter (moves, need '').
    """CREATE TABLE needs_counts (
            upload_id   INTEGER NOT NULL,
            quarter     VARCHAR NOT NULL,  -- e.g. 2026-27 Q2
            source      VARCHAR NOT NULL,  -- a source id in charter/needs.yaml
            month       VARCHAR NOT NULL,  -- the month its figures are as at, YYYY-MM
            locality    VARCHAR NOT NULL,
            need        VARCHAR NOT NULL,  -- a primary need group; '' for moves
            children    INTEGER NOT NULL,
            PRIMARY KEY (upload_id, quarter, source, locality, need)
        )""",
    # The council's finance return: spend per service in a financial year, and how many
    # children the service reached (NULL: not known).
    """CREATE TABLE service_spend (
            upload_id   INTEGER NOT NULL,
            year        VARCHAR NOT NULL,  -- a financial year, e.g. 2025-26
            service     VARCHAR NOT NULL,  -- a service id in charter/needs.yaml
            spend       DOUBLE NOT NULL,   -- pounds
            children    INTEGER,
            PRIMARY KEY (upload_id, year, service)
        )""",
    # DfE's section 251 outturn, imported through the published-statistics path: net spend
    # and spend per child (0 to 17) by area and line, as a mapping names the lines.
    """CREATE TABLE s251_outturn (
            upload_id   INTEGER NOT NULL,
            year        VARCHAR NOT NULL,
            area_code   VARCHAR NOT NULL,
            area_name   VARCHAR NOT NULL,
            level       VARCHAR NOT NULL,  -- National | Regional | Local authority
            service     VARCHAR NOT NULL,
            spend       DOUBLE,            -- pounds; NULL where the file has a symbol
            per_child   DOUBLE,
            PRIMARY KEY (upload_id, year, area_code, service)
        )""",
]
