"""What each page of the floor app draws: the least a Streamlit dashboard page can be. A title,
twelve lines of text, one Plotly line chart of 40 points and one 40-row table."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

POINTS = 40


def draw(title: str) -> None:
    st.set_page_config(page_title=title, layout="wide")
    st.title(title)
    for line in range(1, 13):
        st.markdown(f"Line {line} of text: a sentence as long as a short paragraph's opening.")
    xs = [f"P{n}" for n in range(POINTS)]
    ys = [50 + (n * 7) % 13 for n in range(POINTS)]
    st.plotly_chart(go.Figure(go.Scatter(x=xs, y=ys, mode="lines")), key="chart")
    st.dataframe([{"period": x, "value": y} for x, y in zip(xs, ys, strict=True)], key="table")
