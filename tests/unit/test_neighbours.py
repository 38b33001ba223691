"""DfE's statistical-neighbour model (issue 32, first part): the shipped copy, its refresh
from DfE's workbook, a council's neighbours with every code they had, council.yaml's
override, and a council the model does not know."""

from __future__ import annotations

import csv
import shutil
import statistics
from pathlib import Path

import openpyxl
import pytest
import yaml

from charter import CHARTER_DIR, CharterError, load_charter
from charter.ees_models import load_mapping
from charter.neighbours import NEIGHBOURS_YAML, neighbour_model
from metrics.assess.benchmark import area_values, benchmark
from metrics.cli.parser import main
from metrics.ingest.published.ees import import_ees
from metrics.reference import known_areas
from metrics.reference.neighbours import with_predecessors
from tests.conftest import SHARED

WORKBOOK = SHARED / "data" / "lait" / "sn_may_2025.xlsx"
RELEASE = SHARED / "data" / "ees" / "ehcp-2022-release" / "sen2_mi.csv"
RUTLAND = "E06000017"
# Rutland's row in sn_may_2025.xlsx, SN1..SN10 by DfE LA number: 865 815 893 895 850 823
# 916 855 869 811 (Wiltshire, North Yorkshire, Shropshire, Cheshire East, Hampshire,
# Central Bedfordshire, Gloucestershire, Lincolnshire, West Berkshire, East Riding)
RUTLAND_LA_NEIGHBOURS = ["865", "815", "893", "895", "850", "823", "916", "855", "869", "811"]
RUTLAND_NEIGHBOURS = [
    "E06000054", "E06000065", "E06000051", "E06000049", "E10000014",
    "E06000056", "E10000013", "E10000018", "E06000037", "E06000011",
]  # fmt: skip

needs_shared = pytest.mark.skipif(
    not WORKBOOK.exists(), reason="../shared/data/lait is absent (CI always has it)"
)


def council_charter(tmp_path: Path, monkeypatch, code: str, region: str, **council):
    """A charter folder whose council is `code`; `comparators` dropped unless given."""
    root = tmp_path / "charter"
    shutil.copytree(CHARTER_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    data = yaml.safe_load((root / "council.yaml").read_text())
    data["council"].pop("comparators")
    data["council"].pop("comparators_note", None)
    data["council"].update(code=code, region={"code": region, "name": "A region"}, **council)
    (root / "council.yaml").write_text(yaml.safe_dump(data))
    monkeypatch.setenv("OUTCOMES_CHARTER", str(root))
    return root


@needs_shared
def test_refresh_from_dfes_workbook_reproduces_the_shipped_file(tmp_path, capsys):
    out = tmp_path / "neighbours.yaml"
    assert main(["neighbours-refresh", str(WORKBOOK), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == NEIGHBOURS_YAML.read_text(encoding="utf-8")
    assert "153 councils, DfE model of May 2025" in capsys.readouterr().out


def test_the_shipped_model_says_what_it_is():
    model = neighbour_model()
    assert (model.publisher, model.date, model.title) == (
        "DfE",
        "May 2025",
        "DfE model of May 2025",
    )
    assert model.licence == "Open Government Licence v3.0"
    assert len(model.councils) == 153
    assert model.councils[RUTLAND].neighbours == RUTLAND_NEIGHBOURS


def _workbook(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LA SN Groups"
    sheet.append(list("ABCDE"))
    sheet.append(list(range(1, 6)))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


HEADER = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"] + [
    c for i in range(1, 11) for c in (f"SN{i}", "SNP")
]


def _row(la: str, neighbours: list[str]) -> list[object]:
    return [int(la), "A council", int(la), 1, "A region"] + [
        c for n in neighbours for c in (int(n), "Close")
    ]


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        (
            [h for h in HEADER if h != "SN7"],
            [_row("857", RUTLAND_LA_NEIGHBOURS)],
            "broken.xlsx: row 3: missing column(s) SN7",
        ),
        (
            HEADER,
            [_row("805", ["806", "807", "808", "810", "811", "812", "813", "815", "816", "821"]),
             _row("857", RUTLAND_LA_NEIGHBOURS[:9])],
            "broken.xlsx: row 5: column SN10: empty; each council needs exactly 10 neighbours",
        ),
        (
            HEADER,
            [_row("857", ["999", *RUTLAND_LA_NEIGHBOURS[1:]])],
            "broken.xlsx: row 4: column SN1: unknown LA number '999'",
        ),
        (
            HEADER,
            [_row("998", RUTLAND_LA_NEIGHBOURS)],
            "broken.xlsx: row 4: column LA num: unknown LA number '998'",
        ),
        (
            HEADER,
            [_row("857", [*RUTLAND_LA_NEIGHBOURS[:9], "865"])],
            "broken.xlsx: row 4: council 857 needs exactly 10 different neighbours",
        ),
    ],
)  # fmt: skip
def test_a_broken_workbook_is_refused_naming_row_and_column(
    tmp_path, capsys, header, rows, message
):
    path = _workbook(tmp_path / "broken_may_2026.xlsx", header, rows)
    path = path.rename(tmp_path / "broken.xlsx")
    out = tmp_path / "neighbours.yaml"
    code = main(["neighbours-refresh", str(path), "--date", "May 2026", "--out", str(out)])
    assert code == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_good_small_workbook_is_written_with_its_date(tmp_path):
    path = _workbook(tmp_path / "sn_june_2026.xlsx", HEADER, [_row("857", RUTLAND_LA_NEIGHBOURS)])
    out = tmp_path / "neighbours.yaml"
    assert main(["neighbours-refresh", str(path), "--out", str(out)]) == 0
    written = yaml.safe_load(out.read_text())
    assert written["date"] == "June 2026"
    assert written["councils"] == {
        RUTLAND: {"name": "Rutland", "la_number": "857", "neighbours": RUTLAND_NEIGHBOURS}
    }


def test_a_file_name_without_a_date_needs_date(tmp_path, capsys):
    path = _workbook(tmp_path / "neighbours.xlsx", HEADER, [_row("857", RUTLAND_LA_NEIGHBOURS)])
    assert main(["neighbours-refresh", str(path), "--out", str(tmp_path / "o.yaml")]) == 1
    assert "give it with --date" in capsys.readouterr().err


def test_rutland_gets_its_ten_neighbours_with_every_code_they_had(tmp_path, monkeypatch):
    council_charter(tmp_path, monkeypatch, RUTLAND, "E12000004", name="Rutland (test)")
    found = load_charter().neighbours()
    assert list(found.codes) == RUTLAND_NEIGHBOURS
    assert found.words == "statistical neighbours: DfE model of May 2025"
    codes = with_predecessors(list(found.codes))
    assert codes["E06000065"] == ["E06000065", "E10000023"]  # North Yorkshire before 2023
    assert codes["E06000054"] == ["E06000054"]  # Wiltshire: one code


@needs_shared
def test_north_yorkshires_old_code_counts_in_rutlands_neighbour_average(
    store, tmp_path, monkeypatch
):
    """2021, from DfE's release: North Yorkshire published as E10000023; Rutland's neighbour
    average is the mean of all ten, as worked out here from the CSV by LA number."""
    council_charter(tmp_path, monkeypatch, RUTLAND, "E12000004", name="Rutland (test)")
    charter = load_charter()
    mapping = load_mapping(CHARTER_DIR / "ees" / "sen2-mi.yaml", charter)
    assert import_ees(store, charter, "sen2_mi.csv", RELEASE.read_bytes(), mapping, by="t").ok
    with RELEASE.open(encoding="utf-8", newline="") as f:
        rates = {
            r["old_la_code"]: float(r["NoExc20weekRate"])
            for r in csv.DictReader(f)
            if r["time_period"] == "2021" and r["geographic_level"] == "Local authority"
        }
    expected = statistics.mean(rates[la] for la in RUTLAND_LA_NEIGHBOURS)
    ind = charter.indicators["ehcp-issued-20-weeks"]
    areas = area_values(store, [(ind.id, "2021")])[(ind.id, "2021")]
    assert "E10000023" in areas and "E06000065" not in areas
    b = benchmark(ind, charter, areas[RUTLAND], None, None, areas)
    assert b.group_size == 10
    assert b.group == pytest.approx(expected)
    assert b.as_json()["group_source"] == "statistical neighbours: DfE model of May 2025"


def test_council_yaml_comparators_override_the_model(tmp_path, monkeypatch):
    council_charter(
        tmp_path, monkeypatch, RUTLAND, "E12000004", comparators=["E06000001", "E06000002"]
    )
    found = load_charter().neighbours()
    assert (found.codes, found.model) == (("E06000001", "E06000002"), None)
    assert found.words == "comparators chosen in council.yaml"


def test_an_empty_override_means_none(tmp_path, monkeypatch):
    council_charter(tmp_path, monkeypatch, RUTLAND, "E12000004", comparators=[])
    assert load_charter().neighbours().codes == ()


def test_a_council_the_model_does_not_know_is_refused_without_an_override(tmp_path, monkeypatch):
    council_charter(tmp_path, monkeypatch, "E99000002", "E12000002")
    with pytest.raises(CharterError) as err:
        load_charter()
    assert (
        "charter/council.yaml: council.comparators: council E99000002 is not in the statistical "
        "neighbours of the DfE model of May 2025" in str(err.value)
    )
    assert "write `comparators: []` for none" in str(err.value)


def test_the_fictional_demo_council_lists_ten_real_councils_chosen_for_the_demo(charter):
    """Issue 32: the demo sits among real councils' published figures, so it names ten real
    councils (Warrington's statistical neighbours) and says they were chosen for the demo."""
    assert charter.council.code == "E99000001"
    found = charter.neighbours()
    assert found.codes == tuple(neighbour_model().councils["E06000007"].neighbours)
    assert all(code in known_areas() for code in found.codes)
    assert found.model is None
    assert found.words == "ten real councils chosen for the demo; Wrenfield is fictional"


def test_a_wrong_sheet_dimension_is_not_trusted(tmp_path):
    """A workbook whose <dimension> says A1:A1 (as some writers leave it) is read in full."""
    import re
    import zipfile

    good = _workbook(tmp_path / "good.xlsx", HEADER, [_row("857", RUTLAND_LA_NEIGHBOURS)])
    lying = tmp_path / "sn_june_2026.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(lying, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', data)
                assert n == 1
            dst.writestr(item, data)
    out = tmp_path / "neighbours.yaml"
    assert main(["neighbours-refresh", str(lying), "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text())["councils"][RUTLAND]["neighbours"] == RUTLAND_NEIGHBOURS


def test_packs_and_status_sentences_say_which_neighbours(tmp_path, monkeypatch):
    """The sentences packs and the status give (plain.compare_sentence, reasons) name the
    model beside the neighbour average; a chosen group says it is council.yaml's."""
    from metrics.assess.reasons import benchmark_sentence
    from metrics.publish.plain import compare_sentence, is_plain

    council_charter(tmp_path, monkeypatch, RUTLAND, "E12000004", name="Rutland (test)")
    charter = load_charter()
    ind = charter.indicators["ehcp-issued-20-weeks"]
    areas = {"E06000054": 40.0, "E10000023": 60.0, "E92000001": 58.0}
    b = benchmark(ind, charter, 50.0, None, None, areas)
    said = compare_sentence(ind, b, 50.0)
    assert (
        "similar councils: 50.0% on average (statistical neighbours: DfE model of May 2025)" in said
    )
    assert is_plain(said) == []
    assert "comparator group mean 50.0% (statistical neighbours: DfE model of May 2025)" in (
        benchmark_sentence(ind, b, 50.0)
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("banana", "'banana' is not a date"),
        ("2026-02-30", "'2026-02-30' is not a real date"),
        ("2026-13-01", "'2026-13-01' is not a real date"),
        ("Smarch 2026", "'Smarch 2026' is not a date"),
        ("9999-01-01", "'9999-01-01' is in the future"),
        ("May 9999", "'May 9999' is in the future"),
    ],
)
def test_date_must_be_a_real_date_not_in_the_future(tmp_path, capsys, given, message):
    """--date is printed on every benchmark ("DfE model of ..."): a typo is a usage error
    (exit 2, argparse's own) naming the value, and nothing is written."""
    path = _workbook(tmp_path / "sn_june_2026.xlsx", HEADER, [_row("857", RUTLAND_LA_NEIGHBOURS)])
    out = tmp_path / "neighbours.yaml"
    with pytest.raises(SystemExit) as exited:
        main(["neighbours-refresh", str(path), "--date", given, "--out", str(out)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "argument --date" in err and message in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("given", "stored"), [("2025-05-14", "May 2025"), ("may 2025", "May 2025")]
)
def test_date_as_an_iso_date_or_a_month_is_stored_as_the_models_month(tmp_path, given, stored):
    path = _workbook(tmp_path / "sn_june_2026.xlsx", HEADER, [_row("857", RUTLAND_LA_NEIGHBOURS)])
    out = tmp_path / "neighbours.yaml"
    assert main(["neighbours-refresh", str(path), "--date", given, "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text())["date"] == stored
