"""Where a measure is heading if nothing changes: a baseline forecast for the next periods with
a prediction interval, from statsmodels' exponential smoothing (ETS), the method chosen and
checked on the council's own series by a rolling-origin back-test.

Honesty rules (issue 31):
- Fewer than MIN_FIGURES figures of the kind the measure is assessed on: no forecast, and
  "too few figures to forecast" says how many there are and how many it needs.
- A gap (a figure missing or given only as a symbol) inside the last MIN_FIGURES: no forecast
  either; a series is never filled in to make one.
- The method is the candidate with the smallest back-tested error: each is fitted on the
  figures up to each origin (the last MOST_ORIGINS, none on fewer than MIN_TRAIN figures)
  and asked for the next `periods`; the mean
  absolute error over every origin and horizon is its error. Carrying the last figure forward
  (the naive forecast) is scored the same way and reported beside it.
- The interval is the model's own 80% prediction interval, widened where the back-test's
  errors at that horizon were larger (a model fitted to a dozen figures underestimates its
  own uncertainty): never narrower than the council's own series says it should be.
- A projection is never a figure: everything that shows one says "projection".
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

MIN_FIGURES = 8  # enough for a trend and a back-test over at least two origins
MIN_TRAIN = 6  # the fewest figures a back-test's fit is made on
MOST_ORIGINS = 6  # the back-test's latest origins only: the recent past is what is projected,
# and each origin costs a fit of every method (a pack projects every measure needing attention)
PERIODS = 4
MOST_PERIODS = 8
COVERAGE = 0.8  # "likely between": an 80% prediction interval
PROJECTION = "projection"  # the word every output marks a projected value with


@dataclass(frozen=True)
class Method:
    key: str
    name: str
    trend: str | None


METHODS = (
    Method("ses", "simple exponential smoothing (ETS: additive error, no trend)", None),
    Method("holt", "Holt's linear trend (ETS: additive error, additive trend)", "add"),
)


@dataclass(frozen=True)
class Projected:
    period: str
    central: float
    low: float
    high: float
    kind: str = PROJECTION


@dataclass(frozen=True)
class Forecast:
    figures: int  # how many figures it is made from (or were available)
    method: Method | None = None
    error: float | None = None  # back-tested mean absolute error, in the measure's unit
    naive_error: float | None = None  # the same for carrying the last figure forward
    origins: int = 0  # how many back-test origins
    points: tuple[Projected, ...] = field(default_factory=tuple)
    why_none: str | None = None  # why there is no forecast

    @property
    def made(self) -> bool:
        return self.method is not None and bool(self.points)


def too_few(count: int) -> Forecast:
    return Forecast(
        count,
        why_none=f"Too few figures to forecast: {count} figure{'s' if count != 1 else ''} "
        f"in a row, and a forecast needs at least {MIN_FIGURES}.",
    )


@functools.cache
def _blas():  # type: ignore[no-untyped-def]
    """The BLAS libraries loaded once statsmodels is (numpy's and scipy's OpenBLAS), to run
    the fits on one thread: each fit is a few hundred tiny L-BFGS-B steps, and OpenBLAS's
    worker threads waking for each made a pack's forecasts 3-10 times slower on a busy
    2-core machine (bench/README.md, issue 34)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # noqa: F401  # loads scipy
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _fit(values: np.ndarray, method: Method):  # type: ignore[no-untyped-def]
    import pandas as pd  # here, as statsmodels: not every command that imports this fits
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():  # convergence chatter on short series: the back-test judges
        warnings.simplefilter("ignore")
        model = ETSModel(pd.Series(values), error="add", trend=method.trend)
        return model.fit(disp=False)


def _project(values: np.ndarray, method: Method, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The central projections and the model's interval half-widths, `steps` ahead."""
    fitted = _fit(values, method)
    n = len(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = fitted.get_prediction(start=n, end=n + steps - 1).summary_frame(alpha=1 - COVERAGE)
    central = frame["mean"].to_numpy(dtype=float)
    half = (frame["pi_upper"].to_numpy(dtype=float) - frame["pi_lower"].to_numpy(dtype=float)) / 2
    return central, half


def backtest(
    values: np.ndarray, method: Method | None, steps: int
) -> tuple[float, dict[int, list[float]]]:
    """Rolling origin: fit on the first t figures for each of the last MOST_ORIGINS t (none
    fewer than MIN_TRAIN), forecast up to `steps` ahead, and compare with what came. The
    mean absolute error, and the absolute errors by horizon. `method` None: the naive
    forecast (the last figure carried forward)."""
    errors: dict[int, list[float]] = {}
    for t in range(max(MIN_TRAIN, len(values) - MOST_ORIGINS), len(values)):
        ahead = min(steps, len(values) - t)
        if method is None:
            central = np.repeat(values[t - 1], ahead)
        else:
            # the point forecast alone (the same numbers as the prediction's mean, tested):
            # the prediction's intervals cost more than the fit, and only its end uses them
            central = np.asarray(_fit(values[:t], method).forecast(ahead), dtype=float)
        for h in range(ahead):
            errors.setdefault(h + 1, []).append(abs(float(central[h]) - float(values[t + h])))
    every = [e for found in errors.values() for e in found]
    return float(np.mean(every)), errors


def forecast(
    values: Sequence[float | None],
    next_periods: Sequence[str],
    bounds: tuple[float, float] = (-math.inf, math.inf),
) -> Forecast:
    """The forecast for `next_periods` from `values` (the measure's figures of one kind, oldest
    first, None where missing): the last unbroken run is used. Projections and intervals are
    kept within `bounds`, the figures the measure can take (a percentage within 0 to 100)."""
    run = unbroken_run(values)
    if len(run) < MIN_FIGURES:
        return too_few(len(run))
    steps = len(next_periods)
    if not 1 <= steps <= MOST_PERIODS:
        raise ValueError(f"A forecast looks 1 to {MOST_PERIODS} periods ahead (not {steps}).")
    return _forecast(tuple(run), tuple(next_periods), bounds)


def unbroken_run(values: Sequence[float | None]) -> list[float]:
    """The figures after the last gap (a figure missing or not a number)."""
    run: list[float] = []
    for v in values:
        run = [] if v is None or not math.isfinite(v) else [*run, float(v)]
    return run


# A forecast is a pure function of its figures, and costs some fifteen model fits (about
# 0.5 s): the indicator page, the scorecard and each pack of a quarter ask for the same ones.
@functools.lru_cache(maxsize=2048)
def _forecast(
    run: tuple[float, ...], next_periods: tuple[str, ...], bounds: tuple[float, float]
) -> Forecast:
    with _blas().limit(limits=1, user_api="blas"):
        return _forecast_now(run, next_periods, bounds)


def _forecast_now(
    run: tuple[float, ...], next_periods: tuple[str, ...], bounds: tuple[float, float]
) -> Forecast:
    steps = len(next_periods)
    series = np.asarray(run, dtype=float)
    scored = [(backtest(series, m, steps), m) for m in METHODS]
    (error, by_horizon), method = min(scored, key=lambda s: s[0][0])
    naive, _ = backtest(series, None, steps)
    central, half = _project(series, method, steps)
    points = []
    for h, period in enumerate(next_periods):
        seen = by_horizon.get(h + 1) or by_horizon[max(by_horizon)]
        widest = max(float(half[h]), float(np.quantile(seen, COVERAGE)))
        mid = float(central[h])
        points.append(
            Projected(
                period, _kept(mid, bounds), _kept(mid - widest, bounds), _kept(mid + widest, bounds)
            )
        )
    origins = len(series) - max(MIN_TRAIN, len(series) - MOST_ORIGINS)
    return Forecast(len(series), method, error, naive, origins, tuple(points))


def _kept(x: float, bounds: tuple[float, float]) -> float:
    return min(max(x, bounds[0]), bounds[1])
