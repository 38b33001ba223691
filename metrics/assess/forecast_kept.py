"""A forecast made once and kept in the store by what it was computed from, so that only
the first pack (or page) after the figures change fits anything (issue 34: a pack's
projections were some 130 model fits, most of its time).

The key is a hash of everything the forecast's numbers depend on: the unbroken run of
figures it is made from, the periods ahead, the bounds, the method's settings, the source of
metrics/assess/forecast.py itself and the versions of the libraries that fit it (statsmodels,
scipy, numpy). A change to any of them makes a new key, so a kept forecast is never stale
and nothing has to be forgotten when figures are loaded. What is kept is the forecast's
numbers as JSON (Python's shortest repr of each float: read back to the last bit)."""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Sequence
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from metrics.assess import forecast as fc
from metrics.store import forecasts as stored
from metrics.store.connection import Store

LIBRARIES = ("statsmodels", "scipy", "numpy")


@functools.cache
def _made_by() -> dict[str, object]:
    """What, besides the figures, a forecast's numbers depend on."""
    return {
        "code": hashlib.sha256(Path(fc.__file__).read_bytes()).hexdigest(),
        "libraries": {name: version(name) for name in LIBRARIES},
        "settings": [fc.MIN_FIGURES, fc.MIN_TRAIN, fc.MOST_ORIGINS, fc.COVERAGE,
                     [(m.key, m.trend) for m in fc.METHODS]],
    }  # fmt: skip


def key(run: Sequence[float], next_periods: Sequence[str], bounds: tuple[float, float]) -> str:
    said = {"run": list(run), "ahead": list(next_periods), "bounds": list(bounds)}
    text = json.dumps(said | _made_by(), sort_keys=True)  # floats by repr: exact
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_json(f: fc.Forecast) -> str:
    return json.dumps(
        {"figures": f.figures, "method": f.method.key if f.method else None, "error": f.error,
         "naive_error": f.naive_error, "origins": f.origins,
         "points": [[p.period, p.central, p.low, p.high] for p in f.points]}
    )  # fmt: skip


def from_json(text: str) -> fc.Forecast:
    d = json.loads(text)
    method = next(m for m in fc.METHODS if m.key == d["method"])
    points = tuple(fc.Projected(p, c, lo, hi) for p, c, lo, hi in d["points"])
    return fc.Forecast(d["figures"], method, d["error"], d["naive_error"], d["origins"], points)


def forecast(
    store: Store,
    values: Sequence[float | None],
    next_periods: Sequence[str],
    bounds: tuple[float, float] = (-math.inf, math.inf),
) -> fc.Forecast:
    """`forecast.forecast(values, next_periods, bounds)`, read from the store when it has
    been made before from the same run of figures, else made and kept."""
    run = fc.unbroken_run(values)
    if len(run) < fc.MIN_FIGURES or not 1 <= len(next_periods) <= fc.MOST_PERIODS:
        return fc.forecast(values, next_periods, bounds)  # says why there is none, or raises
    found = key(run, next_periods, bounds)
    with store.connect() as con:
        text = stored.kept(con, found)
        if text is not None:
            return from_json(text)
        made = fc.forecast(values, next_periods, bounds)
        if made.made:
            stored.keep(con, found, to_json(made), datetime.now())
    return made
