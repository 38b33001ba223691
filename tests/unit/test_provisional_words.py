""" "Provisional" is said only of a figure that is itself provisional (issue 27, item 11): a
final figure whose breakdown rows are provisional is not called provisional."""

from __future__ import annotations

from datetime import date

from metrics.ingest import load_file
from metrics.partners.quality import quality

IND = "ehcp-issued-20-weeks"
HEAD = "indicator,period,value,breakdown,group,numerator,denominator,status\n"


def load(store, charter, lines):
    body = HEAD + "\n".join(lines) + "\n"
    report = load_file(store, charter, "r.csv", body.encode(), by="tester")
    assert report.outcome == "loaded", report.errors


def reasons(store, charter):
    return quality(store, charter, "2024-25 Q1", today=date(2024, 9, 1)).ratings[IND].reasons


def test_a_final_figure_with_provisional_breakdowns_is_not_called_provisional(store, charter):
    load(
        store,
        charter,
        [
            f"{IND},2024-25 Q1,,,,26,50,final",
            f"{IND},2024-25 Q1,,locality,North,11,20,provisional",
            f"{IND},2024-25 Q1,,locality,South,15,30,provisional",
        ],
    )
    found = reasons(store, charter)
    assert "the figure is provisional" not in found
    assert "2 of its breakdown figures are provisional" in found


def test_a_provisional_figure_is_called_provisional(store, charter):
    load(store, charter, [f"{IND},2024-25 Q1,,,,26,50,provisional"])
    assert "the figure is provisional" in reasons(store, charter)
