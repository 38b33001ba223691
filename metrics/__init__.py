"""The domain: periods, store, ingest, status, narrative and exports. Never imports streamlit."""
