"""Published yearly, tracked quarterly (issue 27, item 8): EHC plans within 20 weeks is a
quarterly indicator and DfE publishes it by calendar year; the status and the indicator page
show the latest published year's comparison and rank beside our quarterly figure, labelled
with its year."""

from __future__ import annotations

import yaml

from charter.ees_models import load_mapping
from metrics.assess.rollup import charter_status
from metrics.ingest import load_file
from metrics.ingest.published.ees import import_ees
from metrics.periods.text import parse_period
from metrics.publish import indicator_page as indicator
from metrics.publish.plain import compare_sentence
from metrics.publish.withheld import withheld_figures

IND = "ehcp-issued-20-weeks"
COUNCILS = (  # old code, code, name, rate in 2021
    ("805", "E06000001", "Hartlepool", 60.0),
    ("841", "E06000005", "Darlington", 50.0),
    ("808", "E06000004", "Stockton-on-Tees", 70.0),
)


def setup(store, charter, tmp_path):
    path = tmp_path / "m.yaml"
    measure = {"indicator": IND, "value": "Rate"}
    path.write_text(
        yaml.safe_dump(
            {"title": "Timeliness", "file": "t.csv", "source": "test", "measures": [measure]}
        )
    )
    head = "time_period,time_identifier,geographic_level,country_code,country_name,"
    head += "region_code,region_name,old_la_code,new_la_code,la_name,Rate\n"
    rows = ["2021,Calendar year,National,E92000001,England,,,,,,58.0"]
    rows += [
        f"2021,Calendar year,Local authority,E92000001,England,E12000001,North East,{old},"
        f"{code},{name},{rate}"
        for old, code, name, rate in COUNCILS
    ]
    content = (head + "\n".join(rows) + "\n").encode()
    assert import_ees(store, charter, "t.csv", content, load_mapping(path, charter)).added == 4
    quarters = "\n".join(f"{IND},2021-22 Q{q},,{20 + q},40" for q in (1, 2, 3, 4))
    body = "indicator,period,value,numerator,denominator\n" + quarters + "\n"
    assert load_file(store, charter, "r.csv", body.encode(), by="tester").added == 4


def test_the_status_compares_the_latest_published_year(store, hartlepool, tmp_path):
    setup(store, hartlepool, tmp_path)
    status = next(
        i
        for s in charter_status(store, hartlepool, parse_period("2021-22 Q4"))
        for i in s.indicators
        if i.id == IND
    )
    b = status.benchmark
    assert b is not None and b.period == "2021"
    assert (b.england, b.rank, b.councils, b.ours) == (58.0, 2, 3, 60.0)
    # England read the right way round (issue 27 item 17), beside the published year's rank
    assert (
        "Published figures for 2021: ours 60.0%; higher than England (58.0%), which is better "
        "(higher is better); 2nd of 3 councils." in status.reason
    )
    ind = hartlepool.indicators[IND]
    assert compare_sentence(ind, b).startswith("In 2021, the latest published year: we had 60.0%")


def test_the_indicator_page_ranks_councils_in_the_published_year(store, hartlepool, tmp_path):
    setup(store, hartlepool, tmp_path)
    ind = hartlepool.indicators[IND]
    hidden = withheld_figures(store, hartlepool).get(IND, {})
    view = indicator.build(store, hartlepool, ind, "2021-22 Q4", hidden, False)
    c = view.comparison
    assert c.period == "2021" and c.ranked and c.england == 58.0
    assert [r.value for r in c.rows] == [70.0, 60.0, 50.0]
    assert c.advice and "Councils are compared on 2021, the latest published year" in c.advice
