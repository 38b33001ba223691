"""Ranks and quartile bands as DfE's LAIT works them out (issue 27, items 2 and 3): ties take
the lowest rank and say so ("joint 1st of 152") everywhere; quartile bands come from the
interpolated 25/50/75% cut points (LAIT's R/fn_analysis.R), not from the rank."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from metrics.assess.benchmark import Benchmark, benchmark, quartile_band, rank_of, rank_words, ranks
from metrics.assess.reasons import benchmark_sentence
from metrics.assess.trend import AreaValue
from metrics.publish.plain import compare_sentence
from ui.spc_charts import benchmark_chart, benchmark_table

EXTRACT = Path(__file__).resolve().parent.parent / "data" / "lait_ehcp_20_weeks_2022.csv"


def lait_values() -> list[float]:
    with EXTRACT.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [float(r["value"]) for r in rows]


def lait_band(value: float, values: list[float], polarity: str) -> int:
    """LAIT's calculate_quartile_band, written again from its R source with numpy's
    quantile (R's type 7): A (1) the best quarter."""
    q0, q25, q50, q75, _q100 = np.quantile(values, [0, 0.25, 0.5, 0.75, 1])
    ascending = (
        1 if q0 <= value <= q25 else 2 if value <= q50 else 3 if value <= q75 else 4
    )  # fmt: skip
    return ascending if polarity == "Low" else 5 - ascending


def test_ties_take_the_lowest_rank_and_say_so():
    assert ranks([90.0, 90.0, 90.0, 80.0, 70.0], "higher_is_better") == [1, 1, 1, 4, 5]
    assert ranks([90.0, 90.0, 80.0], "lower_is_better") == [2, 2, 1]
    assert rank_words(1, 152, True) == "joint 1st of 152"
    assert rank_words(6, 152, False) == "6th of 152"


def test_real_lait_ranks_and_quartile_bands_agree_with_lait():
    values = lait_values()
    assert len(values) == 157
    expected_ranks = pd.Series(values).rank(method="min", ascending=False).astype(int).tolist()
    assert ranks(values, "higher_is_better") == expected_ranks
    assert len(set(expected_ranks)) < len(values)  # the year has ties
    differ = 0
    for rank, value in zip(expected_ranks, values, strict=True):
        band = lait_band(value, values, "High")
        got_rank, councils, quartile = rank_of(value, values, "higher_is_better")
        assert (got_rank, councils) == (rank, 157)
        assert quartile == band == quartile_band(value, values, "higher_is_better"), value
        differ += band != min(4, 1 + (4 * (rank - 1)) // len(values))  # from the rank
    assert differ >= 1  # the councils whose band the rank got wrong are in the extract


def test_quartile_band_on_a_cut_point_is_the_band_below_as_in_lait():
    values = [1.0, 2.0, 3.0, 4.0, 5.0]  # cut points 1, 2, 3, 4, 5
    assert [quartile_band(v, values, "higher_is_better") for v in values] == [4, 4, 3, 2, 1]
    assert [quartile_band(v, values, "lower_is_better") for v in values] == [1, 1, 2, 3, 4]
    assert quartile_band(3.0, values, "neutral") is None


def test_a_tie_reads_the_same_in_the_status_plain_english_chart_and_csv(charter):
    ind = charter.indicators["ehcp-issued-20-weeks"]
    others = {f"E0600000{i}": v for i, v in enumerate([90.0, 90.0, 90.0, 90.0, 90.0, 60.0], 1)}
    b = benchmark(ind, charter, 90.0, None, None, others)
    assert (b.rank, b.councils, b.tied) == (1, 7, True)
    assert b.as_json()["rank_words"] == "joint 1st of 7"
    assert "joint 1st of 7 councils" in benchmark_sentence(ind, b).lower()
    assert "joint 1st of 7 councils" in compare_sentence(ind, b).lower()
    rows = [AreaValue(a, v, False) for a, v in others.items()]
    rows.insert(5, AreaValue(charter.council.code, 90.0, True))  # sorted 6th of the tied
    _, alt = benchmark_chart(rows, ind, "2026-27 Q2", "Wrenfield", None)
    assert "Wrenfield is joint 1st of 7 councils" in alt
    table = benchmark_table(rows, ind, "Wrenfield")
    ours = next(r for r in table if r["Ours"] == "Yes")
    assert (ours["Rank"], ours["Position"]) == (1, "joint 1st of 7")
    assert [r["Rank"] for r in table] == [1, 1, 1, 1, 1, 1, 7]


def test_a_rank_without_ties_says_no_joint():
    b = Benchmark(rank=9, councils=10)
    assert b.rank_text() == "9th of 10"
