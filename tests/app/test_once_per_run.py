"""What a page asks for dozens of times in one run (the data version, the person) is worked
out once per run, and again in the next run: an upload or a new role shows at once."""

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from ui import context

    calls = st.session_state.setdefault("calls", [])
    seen = {context.once_per_run("thing", lambda: calls.append(1) or len(calls)) for _ in range(5)}
    st.write(f"calls {len(calls)}, answers {sorted(seen)}")


def test_once_in_a_run_and_again_in_the_next() -> None:
    at = AppTest.from_function(_script, default_timeout=30)
    at.run()
    assert at.markdown[0].value == "calls 1, answers [1]"
    at.run()
    assert at.markdown[0].value == "calls 2, answers [2]"


def test_outside_a_run_every_time() -> None:
    from ui import context

    calls: list[int] = []
    for _ in range(3):
        context.once_per_run("thing", lambda: calls.append(1))
    assert len(calls) == 3
