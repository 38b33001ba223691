"""Notes and reasons beside the figures, CSVs of numbers, and an upload history people can use
(issue #10)."""

from __future__ import annotations

import csv
import io

from charter.models import UNIT_LABEL
from metrics.assess.trend import trend
from metrics.ingest import load_file
from tests.app.conftest import open_expanders
from ui import charts, history_view


def test_notes_and_revision_reasons_are_beside_the_figures(app, charter):
    store = app.store
    first = (
        "indicator,period,value,note\nshort-breaks-receiving,2021-22 Q3,430,Two providers late\n"
    )
    assert load_file(store, charter, "a.csv", first.encode(), by="t").outcome == "loaded"
    again = (
        "indicator,period,value,note\nshort-breaks-receiving,2021-22 Q3,431,Two providers late\n"
    )
    report = load_file(store, charter, "b.csv", again.encode(), by="t", reason="Late return")
    assert report.outcome == "loaded"
    at = app()
    at.query_params["indicator"] = "short-breaks-receiving"
    at.switch_page("pages/2_Indicator.py").run()
    table = open_expanders(at).dataframe[0].value
    row = table[table["Period"] == "2021-22 Q3"].iloc[0]
    assert row["Note"] == "Two providers late" and row["Why revised"] == "Late return"
    assert "None" not in table.astype(str).to_string()


def test_the_trend_csv_holds_numbers_a_unit_and_the_area_name(demo_store, charter):
    ind = charter.indicators["ehcp-issued-20-weeks"]
    rows = trend(demo_store, charter, ind)
    text = charts.to_csv(charts.trend_csv(rows, ind, "E99000001", charter.council.name)).decode()
    records = list(csv.DictReader(io.StringIO(text)))
    first = records[0]
    assert first["area_code"] == "E99000001" and first["area_name"] == charter.council.name
    assert first["unit"] == UNIT_LABEL["percent"]
    assert float(first["value"]) == rows[0].value  # a number, not "52.0%"
    assert "None" not in text


def test_the_history_shows_a_rejected_uploads_errors_and_its_file(app, charter):
    store = app.store
    bad = b"indicator,period,value\nshort-breaks-receiving,2021-22 Q3,lots\n"
    rejected = load_file(store, charter, "bad.csv", bad, by="t")
    assert rejected.outcome == "rejected"
    at = app()
    at.switch_page("pages/4_Upload_history.py").run()
    assert not at.exception, at.exception
    log = at.dataframe[0].value
    assert {"Upload", "When", "File", "Who", "Outcome", "Rows with errors"} <= set(log.columns)
    at.selectbox(key=history_view.CHOSEN).set_value(rejected.upload_id).run()
    errors = at.dataframe[1].value
    assert list(errors["Row"]) == [2] and list(errors["Value"]) == ["lots"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the file as it was uploaded" in labels
