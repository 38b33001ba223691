"""The app's entry point (`streamlit run app.py`): route the pages of the one registry
(ui/registry.py) that the person using the app may open, and run the one asked for.

A page they may not open is not routed at all (Streamlit says "Page not found" and shows
the landing page); each page still checks the role itself, in `ui.page(...)`. The routed
pages are the sidebar's navigation, drawn by Streamlit itself from the message it sends in
every run anyway: a page link per page was some twenty elements more in every run, a
quarter of a crowd's work on the server (bench/README.md).
"""

import ui

ui.route_and_run()  # st.navigation(ui.routes(), position="sidebar", expanded=True).run()
