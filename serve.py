"""Start the app after checking its setup: `python serve.py [streamlit run's options]`.

`streamlit run app.py` runs none of the app's code until someone opens a page, so a setup
mistake (a secrets file that does not parse, no `[auth]`, a demo on a network address) would
reach the server log only then. This reads the same configuration Streamlit will (its config
files and the options given here), says in the log at once how the app will run and what is
wrong, then hands over to `streamlit run app.py` with the same options. The pages check again
on every run (ui/access.py), so a server started some other way fails closed all the same.
It lives beside app.py, not in `ui`, so that checking imports none of the pages' code.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from streamlit import config
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import bootstrap, cli

from metrics.config import settings_problem
from metrics.deployment import HARDENING, decide, report
from metrics.secrets_files import auth_in_files

APP = Path(__file__).resolve().parent / "app.py"
log = logging.getLogger("outcomes.setup")


def check(options: list[str]) -> str:
    """Read the configuration `streamlit run app.py OPTIONS` will use and log the mode the
    app will run in, and what is wrong; returns the mode."""
    context = cli.main_run.make_context("run", [str(APP), *options])
    flags = {k: v for k, v in context.params.items() if k not in {"target", "args"}}
    # Where `streamlit run` looks for .streamlit/ beside the script (as it sets it itself).
    config._main_script_path = str(APP)
    bootstrap.load_config_options(flags)
    files = list(config.get_option("secrets.files"))
    hardening = {name: config.get_option(name) for name in HARDENING}
    mode, problem = decide(auth_in_files(files), files, None, hardening, settings_problem())
    report(mode, problem, str(config.get_option("server.address") or ""), log)
    return mode


def main(options: list[str] | None = None) -> None:
    options = list(sys.argv[1:] if options is None else options)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
    check(options)
    # Never Streamlit's older pages/-folder mode, which it would enter because pages/ sits
    # beside app.py: its navigation lists every page file, whatever the person's roles
    # (app.py's st.navigation routes only theirs). ui.page sends any run made in it through
    # app.py again, for servers started otherwise.
    PagesManager.uses_pages_directory = False
    cli.main(["run", str(APP), *options], prog_name="streamlit")


if __name__ == "__main__":
    main()
