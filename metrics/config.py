"""Where things live: the database path and the project folders."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB = DATA_DIR / "outcomes.duckdb"
DB_ENV = "OUTCOMES_DB"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH` wins, then the OUTCOMES_DB environment variable, then data/outcomes.duckdb."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    if env := os.environ.get(DB_ENV):
        return Path(env).expanduser().resolve()
    return DEFAULT_DB
