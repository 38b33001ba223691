"""Where things live: the database path and the project folders."""

from __future__ import annotations

import math
import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB = DATA_DIR / "outcomes.duckdb"
DB_ENV = "OUTCOMES_DB"
MAX_UPLOAD_ENV = "OUTCOMES_MAX_UPLOAD_MB"
STREAMLIT_CONFIG = PROJECT_DIR / ".streamlit" / "config.toml"
STREAMLIT_DEFAULT_UPLOAD_MB = 200


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH` wins, then the OUTCOMES_DB environment variable, then data/outcomes.duckdb."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    if env := os.environ.get(DB_ENV):
        return Path(env).expanduser().resolve()
    return DEFAULT_DB


def max_upload_mb() -> float:
    """The largest file the command line accepts, in megabytes: $OUTCOMES_MAX_UPLOAD_MB, else
    the web upload limit (server.maxUploadSize in .streamlit/config.toml), so that a file
    refused on the upload page is refused by `load` and `import-ees` too."""
    if env := os.environ.get(MAX_UPLOAD_ENV):
        return megabytes(env, f"${MAX_UPLOAD_ENV}")
    import tomllib

    try:
        with STREAMLIT_CONFIG.open("rb") as f:
            return float(tomllib.load(f)["server"]["maxUploadSize"])
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError):
        return STREAMLIT_DEFAULT_UPLOAD_MB


def megabytes(text: str, name: str) -> float:
    """A size limit as written: a positive finite number of megabytes. Anything else ("nan",
    "inf", "-1", "ten") would mean no limit at all, so it is refused, naming the setting."""
    from metrics.deployment import SettingError

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise SettingError(f"{name}={text!r} is not a size in megabytes (a number above 0)")
    return value
