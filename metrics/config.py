"""Where things live: the database path and the project folders."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from metrics.secrets_files import Problem

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB = DATA_DIR / "outcomes.duckdb"
DB_ENV = "OUTCOMES_DB"
DATABASE_URL_ENV = "OUTCOMES_DATABASE_URL"
URL_SCHEMES = ("postgresql://", "postgres://")
MAX_UPLOAD_ENV = "OUTCOMES_MAX_UPLOAD_MB"
STREAMLIT_CONFIG = PROJECT_DIR / ".streamlit" / "config.toml"
STREAMLIT_DEFAULT_UPLOAD_MB = 200


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH` wins, then the OUTCOMES_DB environment variable, then data/outcomes.duckdb.
    Given but empty, or written as a web address, is refused (`file_setting`)."""
    if explicit is not None:
        return file_setting(str(explicit), "--db")
    if (env := os.environ.get(DB_ENV)) is not None:
        return file_setting(env, f"${DB_ENV}")
    return DEFAULT_DB


# A scheme and a colon-slash: postgresql+psycopg://, postgresql:/ (one slash), mysql://,
# file://. (Two letters at least: C:/ is a Windows drive.)
_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]+:/", re.IGNORECASE)


def file_setting(text: str, name: str) -> Path:
    """A DuckDB file's path as a setting gives it. An empty one would quietly mean the
    default database (data written to the wrong one looks lost), and an address not
    written as postgresql:// would become a new DuckDB file named after it, the password
    in its name and printed: both are refused, without repeating what was written."""
    from metrics.deployment import SettingError

    written = text.strip()
    if not written:
        raise SettingError(f"{name} is set but empty: give a DuckDB file (or leave it unset)")
    if _ADDRESS.match(written):
        scheme = written.split(":", 1)[0]
        raise SettingError(
            f"{name} is an address ({scheme}:...), not a DuckDB file, and only "
            "postgresql:// (or postgres://) addresses are databases here"
        )
    return Path(written).expanduser().resolve()


def is_database_url(text: str | os.PathLike[str]) -> bool:
    """A PostgreSQL server's database (postgresql://...), not a DuckDB file."""
    return isinstance(text, str) and text.strip().lower().startswith(URL_SCHEMES)


def database(explicit: str | os.PathLike[str] | None = None) -> Path | str:
    """Where the system of record is: a DuckDB file (a Path) or a PostgreSQL database (its
    postgresql:// URL). `--db` (a path or a URL) wins, then $OUTCOMES_DATABASE_URL, then
    $OUTCOMES_DB, then data/outcomes.duckdb. Both variables set is refused rather than one
    silently preferred: data written to the wrong database would look lost. So is either
    set but empty."""
    from metrics.deployment import SettingError

    if explicit is not None:
        return str(explicit).strip() if is_database_url(explicit) else db_path(explicit)
    raw = os.environ.get(DATABASE_URL_ENV)
    if raw is None:
        return db_path()
    url = raw.strip()
    if not url:
        raise SettingError(f"${DATABASE_URL_ENV} is set but empty: give a postgresql:// URL")
    if not is_database_url(url):
        raise SettingError(
            f"${DATABASE_URL_ENV} must be a postgresql:// URL (for a DuckDB file set "
            f"${DB_ENV} instead), not {url.split('@')[-1]!r}"
        )
    if os.environ.get(DB_ENV) is not None:
        raise SettingError(f"${DATABASE_URL_ENV} and ${DB_ENV} are both set: set only one")
    return url


SETTINGS = "the app's settings"  # what a setting's Problem is about (not sign-in)
PACK_BUILDS_ENV = "OUTCOMES_PACK_BUILDS"


def pack_builds() -> int:
    """OUTCOMES_PACK_BUILDS: packs made at once on one server, 1 unless set. Anything but a
    whole number from 1 is refused: set but empty, 'two', or '²' (a digit to Python's
    isdigit(), which int() then refused with its own message)."""
    from metrics.deployment import SettingError

    raw = os.environ.get(PACK_BUILDS_ENV)
    if raw is None:
        return 1
    if not re.fullmatch(r"[0-9]+", raw.strip()) or int(raw) < 1:
        raise SettingError(f"{PACK_BUILDS_ENV} must be a whole number from 1, not {raw!r}")
    return int(raw)


def settings_problem() -> Problem | None:
    """What is wrong with the settings every page depends on (where the data is:
    $OUTCOMES_DATABASE_URL, $OUTCOMES_DB; $OUTCOMES_PACK_BUILDS), for deployment.decide:
    None when each can be read."""
    from metrics.deployment import SettingError
    from metrics.secrets_files import Problem

    try:
        database()
        pack_builds()
    except SettingError as err:
        return Problem(str(err), about=SETTINGS)
    return None


def redacted(url: str) -> str:
    """A database URL without its password, for messages and logs: the one before the host
    and one given as a parameter (`?password=...`, or `password=...` in a key=value string)."""
    url = re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)
    return re.sub(r"(?i)(\bpassword\s*=\s*)('[^']*'|[^&\s]*)", r"\1***", url)


def max_upload_mb() -> float:
    """The largest file the command line accepts, in megabytes: $OUTCOMES_MAX_UPLOAD_MB, else
    the web upload limit (server.maxUploadSize in .streamlit/config.toml), so that a file
    refused on the upload page is refused by `load` and `import-ees` too."""
    if env := os.environ.get(MAX_UPLOAD_ENV):
        return megabytes(env, f"${MAX_UPLOAD_ENV}")
    import tomllib

    from metrics.deployment import SettingError

    try:
        with STREAMLIT_CONFIG.open("rb") as f:
            written = tomllib.load(f).get("server", {}).get("maxUploadSize")
    except FileNotFoundError:
        return STREAMLIT_DEFAULT_UPLOAD_MB  # as Streamlit does without the file
    except (OSError, tomllib.TOMLDecodeError) as err:  # never quietly Streamlit's 200 MB
        raise SettingError(f"{STREAMLIT_CONFIG} cannot be read: {err}") from None
    if written is None:
        return STREAMLIT_DEFAULT_UPLOAD_MB  # as Streamlit does without the setting
    if isinstance(written, bool):
        raise SettingError(f"server.maxUploadSize={written!r} is not a size in megabytes")
    return megabytes(str(written), "server.maxUploadSize")  # inf or nan: no limit at all


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
