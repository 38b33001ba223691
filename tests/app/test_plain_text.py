"""User text planted in every field reaches the screen as plain text (issue #9, item 3): a file
name, a sheet name, a user name, a rejected cell and a published area name never become a live
link, Markdown or chart HTML. A stored figure that cannot be read breaks no page (item 1)."""

from __future__ import annotations

import json
import re

from openpyxl import Workbook

from metrics.ingest import load_file
from metrics.ingest.published.ees import import_ees
from tests.conftest import plant_unreadable_figure
from tests.unit.test_ees import HEADER as EES_HEADER
from tests.workbooks import saved
from ui import keys

LINK = "[sign in again](https://evil.example/sso)"
HTML = "<a href='https://evil.example/sso'>Hartlepool</a>"
TEXT_ELEMENTS = ("markdown", "caption", "info", "error", "warning", "success", "expandable")


def shown_texts(at) -> list[str]:
    """Everything the page renders as Markdown: element bodies and labels."""
    out = []
    for kind in TEXT_ELEMENTS:
        for element in at.get(kind):
            proto = element.proto
            for attr in ("body", "label"):
                value = getattr(proto, attr, "")
                if isinstance(value, str) and value:
                    out.append(value)
    return out


def assert_no_live_markup(at) -> None:
    texts = shown_texts(at)
    assert texts
    for text in texts:
        assert not re.search(r"(?<!\\)\]\(", text), text  # a Markdown link would form
        assert "<a href" not in text, text


def test_a_hostile_file_name_and_cells_on_the_upload_page(app):
    at = app()
    at.switch_page("pages/3_Upload.py").run()
    bad = f"indicator,period,value\nshort-breaks-receiving,2021-22 Q3,{LINK}\n".encode()
    at.file_uploader(key=keys.UPLOAD).upload(f"{LINK}.csv", bad, "text/csv").run()
    assert not at.exception, at.exception
    assert any("Rejected" in e.value for e in at.error)
    assert_no_live_markup(at)


def test_a_hostile_sheet_name_in_the_upload_notes(app):
    """Excel forbids [ ] : / in sheet names, but files written by other programs have them."""
    book = Workbook()
    book.active.title = "PLANTED"
    book.active.append(["indicator", "period", "value"])
    book.active.append(["short-breaks-receiving", "2021-22 Q3", 5])
    book.create_sheet("Other")
    planted = f'name="{LINK}"'.encode()
    content = saved(book, "xl/workbook.xml", lambda xml: xml.replace(b'name="PLANTED"', planted))
    at = app()
    at.switch_page("pages/3_Upload.py").run()
    at.file_uploader(key=keys.UPLOAD).upload("r.xlsx", content, "text/csv").run()
    assert not at.exception, at.exception
    assert any("2 sheets" in i.value for i in at.info)
    assert_no_live_markup(at)
    assert all("https://evil" not in t or "\\:" in t for t in shown_texts(at))


def test_a_hostile_user_and_file_name_on_the_indicator_page(app, charter):
    store = app.store
    content = b"indicator,period,value\nshort-breaks-receiving,2021-22 Q3,430\n"
    report = load_file(store, charter, f"{LINK}.csv", content, by=LINK)
    assert report.outcome == "loaded"
    at = app()
    at.query_params["indicator"] = "short-breaks-receiving"
    at.switch_page("pages/2_Indicator.py").run()
    assert not at.exception, at.exception
    assert any("Last updated" in m.value and "evil" in m.value for m in at.markdown)
    assert_no_live_markup(at)


def test_a_hostile_area_name_in_a_published_file(app, charter, tmp_path):
    import yaml

    from charter.ees_models import load_mapping

    path = tmp_path / "rate.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "title": "Rate",
                "file": "x.csv",
                "source": "test release",
                "measures": [{"indicator": "ehcp-issued-20-weeks", "value": "PersonalBudgets"}],
            }
        )
    )
    rows = [
        f"2026-27,Financial year Q2,Local authority,E92000001,England,E12000001,North East,805,"
        f'E06000001,"{HTML}",55'
    ]
    header = EES_HEADER
    content = "\n".join([header, *[r.replace("2026-27,", "202627,") for r in rows]]) + "\n"
    report = import_ees(app.store, charter, "r.csv", content.encode(), load_mapping(path, charter))
    assert report.outcome == "imported", report.errors
    at = app()
    at.query_params["indicator"] = "ehcp-issued-20-weeks"
    at.switch_page("pages/2_Indicator.py").run()
    assert not at.exception, at.exception
    spec = json.dumps([c.proto.spec for c in at.get("plotly_chart")])
    assert "evil.example" in spec  # the name is shown...
    assert "<a href" not in spec and "\\u003ca href" not in spec  # ...as text, not a link
    assert_no_live_markup(at)


def test_a_stored_unreadable_period_breaks_no_page_and_is_listed(app):
    plant_unreadable_figure(app.store)
    at = app()  # the overview runs (app() asserts no exception)
    for page in ("pages/1_Statement.py", "pages/2_Indicator.py"):
        at.query_params["indicator"] = "short-breaks-receiving"
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    at.switch_page("pages/4_Upload_history.py").run()
    assert not at.exception, at.exception
    assert any(h.value == "Figures that cannot be read" for h in at.header)
    assert "1-02 Q1" in list(at.dataframe[0].value["Period as stored"])
