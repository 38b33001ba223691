"""The needs baseline (issue 33): ratios and intervals against hand-worked values, the known
count from overlapping sources, the needs return's checks, small counts by locality withheld
for public readers, provision and gaps, and the demo's stories. Store tests run on DuckDB
and PostgreSQL (the `backend` parametrisation)."""

from __future__ import annotations

import contextlib
import math
import threading
from dataclasses import replace

import pytest

from metrics.access.audit import entries
from metrics.access.people import command_line
from metrics.ingest import replaced
from metrics.ingest.needs import load_needs_return
from metrics.leadership.needs import (
    NoBaseline,
    baseline,
    known_vs_expected,
    poisson_interval,
    ratio_words,
)
from metrics.leadership.needs_table import rows
from metrics.leadership.provision import gap_words, needs_without_provider, provision
from metrics.publish.policy import PUBLIC, STAFF
from metrics.rounding import round_half_up

HEADER = "quarter,source,month,locality,need,children\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_poisson_interval_hand_worked():
    # For 0 the exact upper limit is -ln(0.025) (chi-squared with 2 df is exponential);
    # for 1 the lower limit is -ln(0.975).
    low, high = poisson_interval(0)
    assert low == 0 and math.isclose(high, -math.log(0.025), rel_tol=1e-9)
    low, _ = poisson_interval(1)
    assert math.isclose(low, -math.log(0.975), rel_tol=1e-9)
    # 40 children: Garwood's exact interval is 28.58 to 54.47 (published tables).
    low, high = poisson_interval(40)
    assert round(low, 2) == 28.58 and round(high, 2) == 54.47
    with pytest.raises(ValueError):
        poisson_interval(-1)


def test_poisson_interval_is_scipy_stats_chi2_quantiles_exactly():
    """Worked out from scipy.special (importing scipy.stats cost every command 1-2 s): the
    same numbers to the last bit as chi2.ppf's, at both levels the needs pages use."""
    from scipy.stats import chi2

    for level in (0.95, 0.8):
        tail = (1 - level) / 2
        for count in (0, 1, 2, 7, 40, 399, 2500):
            low = 0.0 if count == 0 else float(chi2.ppf(tail, 2 * count)) / 2
            high = float(chi2.ppf(1 - tail, 2 * count + 2)) / 2
            assert poisson_interval(count, level) == (low, high)


def test_ratio_and_words_hand_worked():
    r = known_vs_expected(40, 100)
    assert r.ratio == 0.4 and round(r.low, 4) == 0.2858 and round(r.high, 4) == 0.5447
    assert r.wide_low is None
    assert ratio_words("North", r) == (
        "About 4 in 10 of the disabled children we would expect in North are known to any "
        "service (between 29% and 54%, allowing for chance)."
    )
    # The rate's own interval widens it: the count's low end over the highest expected.
    w = known_vs_expected(40, 100, expected_low=90, expected_high=110)
    assert math.isclose(w.wide_low, 28.576586 / 110, rel_tol=1e-6)
    assert math.isclose(w.wide_high, 54.468647 / 90, rel_tol=1e-6)
    assert ratio_words("South", known_vs_expected(0, 50)).startswith("Fewer than 1 in 10")
    assert ratio_words("East", known_vs_expected(120, 100)).startswith("About as many")
    with pytest.raises(ValueError):
        known_vs_expected(1, 0)


def test_known_is_the_largest_source_per_need_added_up(store, charter):
    report = load_needs_return(
        store,
        charter,
        "needs.csv",
        _csv(
            "2026-27 Q2,register,Sep 2026,North,Autistic spectrum disorder,30",
            "2026-27 Q2,ehc-plans,Sep 2026,North,Autistic spectrum disorder,20",
            "2026-27 Q2,community-health,Aug 2026,North,Autistic spectrum disorder,35",
            "2026-27 Q2,register,Sep 2026,North,Hearing impairment,10",
            "2026-27 Q2,moves-in,Sep 2026,North,,4",
        ),
        by=command_line("tester"),
    )
    assert report.ok, [e.as_text() for e in report.errors]
    found = baseline(store, charter)
    north = found.locality("North")
    assert north.ratio.known == 45  # max(30, 20, 35) + 10
    assert north.ratio.expected == 12000 * 0.11  # 1,320 from needs.yaml
    assert math.isclose(north.ratio.ratio, 45 / 1320)
    assert north.moves == 4
    assert north.by_source == {"register": 40, "ehc-plans": 20, "community-health": 35}
    assert found.months["community-health"] == "Aug 2026"
    asd = next(n for n in north.needs if n.need == "Autistic spectrum disorder")
    assert asd.known == 35 and math.isclose(asd.expected or 0, 1320 * 0.30)
    # every load is in the audit trail, by who loaded it
    audit = entries(store, command_line(), kind="upload")
    assert any("needs.csv" in row.object and row.name == "tester" for row in audit)


def test_a_later_return_supersedes_and_quarters_are_asked_for(store, charter):
    line = "2026-27 Q2,register,Sep 2026,South,Physical disability,{}"
    assert load_needs_return(store, charter, "a.csv", _csv(line.format(12))).ok
    assert load_needs_return(store, charter, "b.csv", _csv(line.format(15)), reason="Late").ok
    assert baseline(store, charter).locality("South").ratio.known == 15
    with pytest.raises(NoBaseline, match="no needs return for 2025-26 Q1"):
        baseline(store, charter, "2025-26 Q1")


def test_replacing_stored_counts_needs_a_reason_and_is_audited_before_and_after(store, charter):
    """A later return of the same quarter and source replaced the earlier counts with no
    reason asked and no values before in the audit trail (a revision of our own figures
    needs both). Refused without a reason, nothing stored; with one, each figure replaced
    (or left out) is audited with its value before and after. The same figures again, or
    another quarter's, replace nothing and need none."""
    physical = "2026-27 Q2,register,Sep 2026,South,Physical disability,{}"
    hearing = "2026-27 Q2,register,Sep 2026,South,Hearing impairment,5"
    tester = command_line("tester")
    assert load_needs_return(store, charter, "a.csv", _csv(physical.format(12), hearing)).ok
    preview = load_needs_return(store, charter, "b.csv", _csv(physical.format(15)), tester,
                                dry_run=True)  # fmt: skip
    assert [(r.before, r.after) for r in preview.replaced] == [
        ("5 children (as at Sep 2026)", "none (not in the new file)"),
        ("12 children (as at Sep 2026)", "15 children (as at Sep 2026)"),
    ]
    refused = load_needs_return(store, charter, "b.csv", _csv(physical.format(15)), tester)
    assert not refused.ok
    assert "2 stored figures would be replaced" in refused.errors[0].as_text()
    assert baseline(store, charter).locality("South").ratio.known == 17  # nothing stored
    done = load_needs_return(store, charter, "b.csv", _csv(physical.format(15)), tester,
                             reason="The register double-counted two children")  # fmt: skip
    assert done.ok and baseline(store, charter).locality("South").ratio.known == 15
    rows_ = entries(store, command_line(), kind="figure replaced")
    assert sorted((r.object, r.before, r.after) for r in rows_) == [
        ("needs return: 2026-27 Q2, register, South, Hearing impairment",
         "5 children (as at Sep 2026)", "none (not in the new file)"),
        ("needs return: 2026-27 Q2, register, South, Physical disability",
         "12 children (as at Sep 2026)", "15 children (as at Sep 2026)"),
    ]  # fmt: skip
    assert all(r.name == "tester" and "double-counted" in r.summary for r in rows_)
    again = load_needs_return(store, charter, "c.csv", _csv(physical.format(15)), tester)
    assert again.ok and not again.replaced  # the same figures: nothing replaced, no reason
    other = "2026-27 Q1,register,Jun 2026,South,Physical disability,9"
    assert load_needs_return(store, charter, "d.csv", _csv(other), tester).ok


def test_two_returns_at_once_cannot_both_replace_without_a_reason(store, charter, monkeypatch):
    """Two returns of the same quarter and source stored at the same moment each looked for
    figures to replace in a snapshot without the other's, found none, and both were stored:
    the second replaced the first's counts with no reason asked and nothing audited. The two
    are held together here once each has looked (as a busy server's two threads may be);
    one at a time, the second sees the first's figures and is refused without a reason."""
    physical = "2026-27 Q2,register,Sep 2026,South,Physical disability,{}"
    looked = threading.Barrier(2)
    real = replaced.replacements

    def looking_together(*args):
        found = real(*args)
        with contextlib.suppress(threading.BrokenBarrierError):
            looked.wait(timeout=3)  # (one at a time, the other never comes: go on alone)
        return found

    monkeypatch.setattr(replaced, "replacements", looking_together)
    reports: dict[int, object] = {}

    def send(count: int) -> None:
        reports[count] = load_needs_return(store, charter, f"{count}.csv",
                                           _csv(physical.format(count)), "Ann")  # fmt: skip

    threads = [threading.Thread(target=send, args=(n,)) for n in (12, 15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.ok for r in reports.values()) == [False, True]
    first = next(n for n, r in reports.items() if r.ok)
    refused = next(r for r in reports.values() if not r.ok)
    assert "stored figure would be replaced" in refused.errors[0].as_text()
    assert baseline(store, charter).locality("South").ratio.known == first


def test_bad_rows_are_refused_with_their_reasons_and_nothing_stored(store, charter):
    report = load_needs_return(
        store,
        charter,
        "bad.csv",
        _csv(
            "2026-27 Q2,register,Sep 2026,Nowhere,Autistic spectrum disorder,3",
            "2026-27 Q2,registry,Sep 2026,North,Autistic spectrum disorder,3",
            "2026-27 Q2,register,Dec 2026,North,Autistic spectrum disorder,3",
            "2026-27 Q2,register,Sep 2026,North,Autistic spectrum disorder,c",
            "2026-27 Q2,moves-in,Sep 2026,North,Hearing impairment,2",
            "2026-27 Q2,register,Sep 2026,South,Hearing impairment,2",
            "2026-27 Q2,register,Sep 2026,South,Hearing impairment,3",
        ),
    )
    assert not report.ok
    said = [e.as_text() for e in report.errors]
    assert any(s.startswith("Row 2, column locality") and "Nowhere" in s for s in said)
    assert any(s.startswith("Row 3, column source") for s in said)
    assert any(s.startswith("Row 4, column month") and "after 2026-27 Q2 ends" in s for s in said)
    assert any(s.startswith("Row 5, column children") for s in said)
    assert any(s.startswith("Row 6, column need") and "all needs together" in s for s in said)
    assert any(s.startswith("Row 8") and "also in row 7" in s for s in said)
    with pytest.raises(NoBaseline, match="No needs return"):
        baseline(store, charter)


def test_a_file_without_our_columns_is_refused(store, charter):
    report = load_needs_return(store, charter, "x.csv", b"quarter,place,count\n2026-27 Q2,a,1\n")
    assert not report.ok
    assert "no column 'source'" in report.errors[0].as_text()


def test_small_counts_by_locality_withheld_for_public_readers(demo_store, charter):
    found = baseline(demo_store, charter)
    public = {(r["locality"], r["need"]): r for r in rows(charter, found, PUBLIC)}
    staff = {(r["locality"], r["need"]): r for r in rows(charter, found, STAFF)}
    small = ("West", "Multi-sensory impairment")  # the demo's 3 children
    assert public[small]["known"] == "[c]" and public[small]["ratio"] == "[c]"
    assert "small number" in public[small]["withheld"]
    assert staff[small]["known"] == 3
    assert staff[small]["withheld"].startswith("not for publication")
    # a second count of West is withheld too, so the 3 cannot be worked out by subtraction
    west = [k for k, r in public.items() if k[0] == "West" and r["known"] == "[c]"]
    assert len(west) >= 2
    # nothing public shows a count from 1 to the threshold
    shown = [r["known"] for r in public.values() if isinstance(r["known"], int)]
    assert not [n for n in shown if 1 <= n <= charter.council.suppression_threshold]


def test_demo_north_is_under_identified_and_one_need_has_no_provider(demo_store, charter):
    found = baseline(demo_store, charter)
    assert found.quarter == "2026-27 Q2" and len(found.quarters) == 4
    flagged = [r.locality for r in found.localities if r.under_identified]
    assert flagged == ["North"]
    north = found.locality("North")
    assert round(north.ratio.ratio, 1) == 0.4
    assert north.words.startswith("About 4 in 10 of the disabled children we would expect in North")
    cells = provision(charter, found)
    assert needs_without_provider(cells) == ["Multi-sensory impairment"]
    assert "Multi-sensory impairment" in gap_words(cells)
    # short breaks do not work in North (not in the provision file, no count in the return)
    north_asd = next(
        c for c in cells if (c.locality, c.need) == ("North", "Autistic spectrum disorder")
    )
    assert "Brightside" not in north_asd.names and "Community Health" in north_asd.names
    south_asd = next(
        c for c in cells if (c.locality, c.need) == ("South", "Autistic spectrum disorder")
    )
    assert any(p.from_return and "Brightside" in p.name for p in south_asd.providers)
    assert {q for q, _, _ in found.moves} == set(found.quarters)


def test_where_the_council_rounds_counts_and_ratios_come_from_rounded_counts(demo_store, charter):
    rounding = replace(
        charter, council=charter.council.model_copy(update={"disclosure_method": "round to 5"})
    )
    found = baseline(demo_store, rounding)
    public = {(r["locality"], r["need"]): r for r in rows(rounding, found, PUBLIC)}
    small = public[("West", "Multi-sensory impairment")]
    assert small["known"] == 5 and small["withheld"] == ""  # 3 rounds to 5
    north = public[("North", "All needs")]
    real = found.locality("North").ratio
    assert north["known"] % 5 == 0 and north["known"] != real.known
    assert north["ratio"] == round_half_up(north["known"] / real.expected, 2)
    assert all(isinstance(r["known"], int) and r["known"] % 5 == 0 for r in public.values())
