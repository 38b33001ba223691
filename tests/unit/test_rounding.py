"""One rounding rule, half up as DfE publishes, for figures stored, worked out and shown
(issue 27, item 1)."""

from __future__ import annotations

import random

import duckdb
import pytest
import yaml

from charter.ees_models import load_mapping
from metrics.ingest import load_file
from metrics.ingest.published.ees import import_ees
from metrics.rounding import SQL_MACROS, fmt_half_up, ratio, round_half_up
from metrics.store.queries import series
from metrics.words.narrative import fmt_number, fmt_value

OURS = "E99000001"


def test_halves_round_up_not_to_even():
    assert ratio(45, 144, 100, 1) == 31.3  # DfE and LAIT show 31.3
    assert ratio(52, 64, 100, 1) == 81.3
    assert round_half_up(31.25, 1) == 31.3
    assert round_half_up(0.285, 2) == 0.29  # the float is 0.28499...: read as typed
    assert round_half_up(-2.5, 0) == -3.0
    assert fmt_half_up(1234.45, 1) == "1,234.5"
    assert fmt_half_up(-0.04, 1) == "0.0"


def test_figures_are_shown_half_up(charter):
    ind = charter.indicators["ehcp-issued-20-weeks"]
    assert fmt_number(31.25, 1) == "31.3"
    assert fmt_value(81.25, ind) == "81.3%"


def test_sql_and_python_round_alike():
    con = duckdb.connect()
    for macro in SQL_MACROS:
        con.execute(macro)
    rng = random.Random(27)
    cases = [(45, 144, 100, 1), (52, 64, 100, 1), (7, 40, 100, 1), (1, 8, 1000, 1)]
    for _ in range(3000):
        den = rng.randint(1, 5000)
        cases.append((rng.randint(0, den), den, rng.choice([100, 1000, 10000]), rng.randint(0, 2)))
    for n, d, m, places in cases:
        got = con.execute(
            "SELECT ratio_half_up(?::DOUBLE, ?::DOUBLE, ?::DOUBLE, ?)", [n, d, m, places]
        ).fetchone()[0]
        assert got == ratio(n, d, m, places), (n, d, m, places)
    for x in (31.25, 0.285, 2.675, 1.005, 17.15, 123456.785, -2.5):
        for places in (0, 1, 2):
            got = con.execute("SELECT round_half_up(?::DOUBLE, ?)", [x, places]).fetchone()[0]
            assert got == round_half_up(x, places), (x, places)


def load(store, charter, lines):
    body = "indicator,period,value,numerator,denominator\n" + "\n".join(lines) + "\n"
    return load_file(store, charter, "r.csv", body.encode(), by="tester", reason="resent")


def test_worked_out_figure_is_stored_half_up_and_resending_is_unchanged(store, charter):
    # 41 / 80 is 51.25% exactly, but 41 / 80 * 100 in floating point is 51.2499...
    assert load(store, charter, ["ehcp-issued-20-weeks,2024-25 Q1,51.3,41,80"]).added == 1
    # the same counts without a value: worked out as 51.3, so nothing is revised
    again = load(store, charter, ["ehcp-issued-20-weeks,2024-25 Q1,,41,80"])
    assert again.outcome == "no change" and again.revised == 0
    assert series(store, "ehcp-issued-20-weeks", OURS)[0].value == 51.3


def test_published_value_with_more_decimals_is_stored_half_up(store, charter, tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "title": "Timeliness",
                "file": "t.csv",
                "source": "test release",
                "measures": [{"indicator": "ehcp-issued-20-weeks", "value": "Rate"}],
            }
        )
    )
    mapping = load_mapping(path, charter)
    content = (
        b"time_period,time_identifier,geographic_level,country_code,country_name,Rate\n"
        b"2021,Calendar year,National,E92000001,England,31.250\n"
    )
    report = import_ees(store, charter, "t.csv", content, mapping)
    assert report.added == 1
    assert series(store, "ehcp-issued-20-weeks", "E92000001")[0].value == pytest.approx(31.3)


def test_demo_figures_are_rounded_half_up(charter):
    from metrics.demo.figures import _figure

    ind = charter.indicators["ehcp-issued-20-weeks"]

    class Fixed(random.Random):
        def uniform(self, a, b):  # the denominator comes out at 64
            return 64 / 60

    value, num, den = _figure(ind, 81.25, 60, Fixed())
    assert (num, den) == ("52", "64") and value == "81.3"


def test_the_mismatch_message_works_the_figure_out_half_up(store, charter):
    report = load(store, charter, ["ehcp-issued-20-weeks,2024-25 Q1,50.0,41,80"])
    assert report.outcome == "rejected"
    assert "(41 / 80 = 51.3)" in report.errors[0].problem
