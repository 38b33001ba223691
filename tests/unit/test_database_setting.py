"""Where the data is, as a setting gives it, fails closed (found by a review): a setting given
but empty never quietly means the default database, and an address not written as
postgresql:// never becomes a new DuckDB file named after it (its password printed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from metrics.config import DEFAULT_DB, database, db_path, settings_problem
from metrics.deployment import DEMO, LOCKED, SettingError, decide
from tests.conftest import ROOT


@pytest.fixture
def unset(monkeypatch):
    monkeypatch.delenv("OUTCOMES_DB", raising=False)
    monkeypatch.delenv("OUTCOMES_DATABASE_URL", raising=False)
    return monkeypatch


def test_unset_is_the_default_and_a_path_is_a_file(unset, tmp_path):
    assert database() == DEFAULT_DB
    assert db_path(str(tmp_path / "x.duckdb")) == tmp_path / "x.duckdb"
    unset.setenv("OUTCOMES_DB", f"  {tmp_path / 'y.duckdb'}  ")
    assert database() == tmp_path / "y.duckdb"


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("OUTCOMES_DB", "", "$OUTCOMES_DB is set but empty"),
        ("OUTCOMES_DB", "   ", "$OUTCOMES_DB is set but empty"),
        ("OUTCOMES_DATABASE_URL", " ", "$OUTCOMES_DATABASE_URL is set but empty"),
        ("OUTCOMES_DB", "postgresql://app:s3cret@db.internal/outcomes", "is an address"),
        ("OUTCOMES_DB", "postgresql+psycopg://app:s3cret@db/o", "(postgresql+psycopg:...)"),
        ("OUTCOMES_DB", "postgresql:/app:s3cret@db/o", "not a DuckDB file"),
    ],
)
def test_an_empty_or_misplaced_setting_is_refused_naming_it(unset, name, value, said):
    unset.setenv(name, value)
    with pytest.raises(SettingError) as err:
        database()
    assert said in str(err.value) and "s3cret" not in str(err.value)
    # not the demo on a wrong store: locked, saying which setting
    mode, problem = decide(None, [], {"OUTCOMES_DEMO": "1"}, None, settings_problem())
    assert mode == LOCKED and said in problem.said


def test_the_demo_still_opens_on_good_settings(unset, tmp_path):
    assert settings_problem() is None
    assert decide(None, [], {"OUTCOMES_DEMO": "1"}, None, settings_problem()) == (DEMO, None)
    unset.setenv("OUTCOMES_DB", str(tmp_path / "z.duckdb"))
    assert decide(None, [], {"OUTCOMES_DEMO": "1"}, None, settings_problem()) == (DEMO, None)


@pytest.mark.parametrize(
    "db", ["", "postgresql+psycopg://app:s3cret@db.internal/o", "mysql://app:s3cret@h/o"]
)
def test_the_command_line_refuses_them_and_makes_no_file(unset, tmp_path, db):
    done = subprocess.run(
        [sys.executable, "-m", "metrics", "--db", db, "uploads"],
        capture_output=True, text=True, cwd=tmp_path, env={**_env(), "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--db " in done.stderr and "s3cret" not in done.stdout + done.stderr
    assert "database: " not in done.stderr  # refused before any database is named
    assert list(tmp_path.iterdir()) == []  # no DuckDB file (nor folder) made of the address


def _env() -> dict[str, str]:
    import os

    chosen = {"OUTCOMES_DB", "OUTCOMES_DATABASE_URL"}
    return {k: v for k, v in os.environ.items() if k not in chosen}


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["uploads", "--limit", "-1"], "argument --limit: '-1' is less than 1"),
        (["audit", "--limit", "0"], "argument --limit: '0' is less than 1"),
        (["uploads", "--limit", "lots"], "argument --limit: 'lots' is not a whole number"),
        (["spc", "--polarity", "higher", "--target", "nan"], "'nan' is not a finite number"),
        (["spc", "--polarity", "higher", "--baseline", "-3"], "'-3' is less than 1"),
    ],
)
def test_counts_and_targets_typed_on_the_command_line_are_checked(args, said, capsys, tmp_path):
    """A negative --limit reached the database as LIMIT -1: a traceback, not a message."""
    from metrics.cli.parser import main

    with pytest.raises(SystemExit) as stop:
        main(["--db", str(tmp_path / "x.duckdb"), *args])
    assert stop.value.code == 2 and said in capsys.readouterr().err


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("inf", "server.maxUploadSize='inf' is not a size"),
        ("nan", "server.maxUploadSize='nan' is not a size"),
        ("-5", "server.maxUploadSize='-5' is not a size"),
        ('"lots"', "server.maxUploadSize='lots' is not a size"),
        ("true", "server.maxUploadSize=True is not a size"),
        ("[", "cannot be read"),
    ],
)
def test_an_upload_limit_no_program_can_use_refuses_the_file(tmp_path, monkeypatch, written,
                                                              said):  # fmt: skip
    """maxUploadSize = inf (or nan) in .streamlit/config.toml meant no limit at all for the
    command line's files, and a value that did not read quietly meant Streamlit's 200 MB."""
    from metrics import config
    from metrics.cli.data import file_problem

    monkeypatch.delenv(config.MAX_UPLOAD_ENV, raising=False)
    settings = tmp_path / "config.toml"
    settings.write_text(f"[server]\nmaxUploadSize = {written}\n")
    monkeypatch.setattr(config, "STREAMLIT_CONFIG", settings)
    (tmp_path / "r.csv").write_text("indicator,period,value\n")
    assert said in (file_problem(tmp_path / "r.csv", None) or "")
    settings.write_text("[server]\nmaxUploadSize = 50\n")
    assert config.max_upload_mb() == 50 and file_problem(tmp_path / "r.csv", None) is None


def test_the_server_log_says_a_setting_is_wrong_not_sign_in(unset, caplog):
    import logging

    from metrics.deployment import report

    unset.setenv("OUTCOMES_DB", "")
    log = logging.getLogger("test.serve")
    with caplog.at_level(logging.ERROR, logger="test.serve"):
        report(LOCKED, settings_problem(), "127.0.0.1", log)
    assert caplog.messages == [
        "A setting is wrong; the app serves no data: $OUTCOMES_DB is set but empty: give a "
        "DuckDB file (or leave it unset)"
    ]
