"""What a script run works out once: `once_per_run`. Its own module so that both ui.context
and ui.access (which ui.context imports) can use it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

T = TypeVar("T")
_RUN = threading.local()  # what this script thread has worked out in its current run


def once_per_run(name: str, compute: Callable[[], T]) -> T:
    """`compute()` at most once per script run (per session thread): a page asks for the data
    version and the person dozens of times, and each answer is the same for the whole run.
    Asking afresh every time cost about a third of a warm page's time (a query for the
    version at every read and every chart; profiled with py-spy, bench/README.md). A new
    run (an upload, a click) asks again. Outside a script run, always afresh."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return compute()
    # Streamlit gives each run a new `cursors` dict (ScriptRunContext.reset): which run this
    # is. Holding it keeps its identity from being reused by a later run's dict.
    marker = ctx.cursors
    memo: dict[str, Any] | None = getattr(_RUN, "memo", None)
    if memo is None or getattr(_RUN, "marker", None) is not marker:
        memo = {}
        _RUN.marker, _RUN.memo = marker, memo
    if name not in memo:
        memo[name] = compute()
    return cast(T, memo[name])


def done_this_run(name: str) -> bool:
    """Whether `once_per_run(name, ...)` has been asked in this script run (outside a run:
    never)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or getattr(_RUN, "marker", None) is not ctx.cursors:
        return False
    return name in getattr(_RUN, "memo", {})
