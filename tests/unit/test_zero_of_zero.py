"""0 of 0 is not a percentage: stored as not applicable (z) with a warning, never as 0% that
would be ranked (issue 27, item 4)."""

from __future__ import annotations

import yaml

from charter.ees_models import load_mapping
from metrics.assess.benchmark import area_values
from metrics.ingest import load_file
from metrics.ingest.published.ees import import_ees
from metrics.store.queries import series

OURS = "E99000001"


def test_a_return_of_0_of_0_is_stored_as_z_with_a_warning(store, charter):
    body = (
        "indicator,period,value,numerator,denominator\n"
        "ehcp-issued-20-weeks,2024-25 Q1,,0,0\n"
        "ehcp-issued-20-weeks,2024-25 Q2,0.0,0,0\n"
        "ehcp-issued-20-weeks,2024-25 Q3,,3,4\n"
    )
    report = load_file(store, charter, "r.csv", body.encode(), by="tester")
    assert report.outcome == "loaded", report.errors
    got = [(r.period, r.value, r.symbol) for r in series(store, "ehcp-issued-20-weeks", OURS)]
    assert got == [("2024-25 Q1", None, "z"), ("2024-25 Q2", None, "z"), ("2024-25 Q3", 75.0, None)]
    warned = [n for n in report.notes if "0 out of 0" in n]
    assert len(warned) == 2 and "Row 2" in warned[0] and "stored as z" in warned[0]


def test_a_count_out_of_nothing_is_still_refused(store, charter):
    body = "indicator,period,value,numerator,denominator\nehcp-issued-20-weeks,2024-25 Q1,,3,0\n"
    report = load_file(store, charter, "r.csv", body.encode(), by="tester")
    assert report.outcome == "rejected"
    assert "more than zero" in report.errors[0].problem


def test_a_published_0_of_0_is_stored_as_z_and_not_ranked(store, charter, tmp_path):
    path = tmp_path / "m.yaml"
    measure = {"indicator": "ehcp-issued-20-weeks", "value": "Rate", "numerator": "N"}
    measure["denominator"] = "D"
    path.write_text(
        yaml.safe_dump(
            {"title": "Timeliness", "file": "t.csv", "source": "test", "measures": [measure]}
        )
    )
    head = "time_period,time_identifier,geographic_level,country_code,country_name,"
    head += "region_code,region_name,old_la_code,new_la_code,la_name,Rate,N,D\n"
    rows = [
        "2021,Calendar year,Local authority,E92000001,England,E12000001,North East,841,"
        "E06000005,Darlington,0,0,0",
        "2021,Calendar year,Local authority,E92000001,England,E12000001,North East,805,"
        "E06000001,Hartlepool,50.0,5,10",
    ]
    report = import_ees(
        store,
        charter,
        "t.csv",
        (head + "\n".join(rows) + "\n").encode(),
        load_mapping(path, charter),
    )
    assert report.added == 2
    assert any("0 out of 0" in w and "stored as z" in w for w in report.warnings)
    (darlington,) = series(store, "ehcp-issued-20-weeks", "E06000005")
    assert (darlington.value, darlington.symbol) == (None, "z")
    ranked = area_values(store, [("ehcp-issued-20-weeks", "2021")])[
        ("ehcp-issued-20-weeks", "2021")
    ]
    assert "E06000005" not in ranked and ranked["E06000001"] == 50.0
