"""`make cluster` for real: HAProxy (Debian's) in front of two app servers, each on its own copy
of the demo DuckDB file (deploy/cluster.py --duckdb-copies), driven by HTTP and by Chromium."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from bench import load
from deploy.cluster import ROOT, Cluster, ClusterError, free_port, haproxy_config
from deploy.postgres import Postgres
from tests.browser.conftest import wait_for_app
from tests.browser.signin import Provider, sign_in, sign_in_settings

pytestmark = pytest.mark.slow
COOKIE = "OUTCOMES_SERVER"


def start_cluster(demo_db: Path, servers: int = 2) -> Cluster:
    cluster = Cluster(servers=servers, port=free_port(), duckdb_copies=True, source_db=demo_db)
    return cluster.__enter__()


@pytest.fixture(scope="module")
def cluster(demo_db: Path) -> Iterator[Cluster]:
    c = start_cluster(demo_db)
    yield c
    c.stop()


def server_of(context: object) -> str:
    cookies = {c["name"]: c["value"] for c in context.cookies()}  # type: ignore[attr-defined]
    return cookies[COOKIE]


def draws_the_overview(page: object) -> None:
    wait_for_app(page)
    assert page.get_by_text("The charter statements").first.is_visible()  # type: ignore[attr-defined]
    assert page.locator('[data-testid="stException"]').count() == 0  # type: ignore[attr-defined]
    assert page.get_by_text("Connection error").count() == 0  # type: ignore[attr-defined]


def test_health_through_the_proxy_sets_the_sticky_cookie(cluster):
    with urllib.request.urlopen(f"{cluster.url}/_stcore/health", timeout=5) as response:
        assert response.read() == b"ok"
        cookies = response.headers.get_all("Set-Cookie")
    sticky = [c for c in cookies if c.startswith(COOKIE)]
    assert len(sticky) == 1, cookies
    assert re.fullmatch(rf"{COOKIE}=app[12]; path=/; HttpOnly; SameSite=Lax", sticky[0])
    # UP, or "UP 1/3" while a slow answer is forgiven (the machine is shared): never DOWN.
    assert [s.split()[0] for s in cluster.server_states().values()] == ["UP", "UP"]


def test_the_sticky_cookie_keeps_a_client_on_one_server(cluster):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    before = cluster.sessions_served()
    for _ in range(12):
        with opener.open(f"{cluster.url}/_stcore/health", timeout=5) as response:
            assert response.read() == b"ok"
    chosen = {c.value for c in jar if c.name == COOKIE}
    assert len(chosen) == 1
    (server,) = chosen
    other = ({"app1", "app2"} - chosen).pop()
    after = cluster.sessions_served()
    # Health checks are not counted: every one of the twelve went to the cookie's server.
    assert after[server] - before[server] >= 1
    assert after[other] == before[other]
    # A client that names the other server is sent there, and only there.
    request = urllib.request.Request(
        f"{cluster.url}/_stcore/health", headers={"Cookie": f"{COOKIE}={other}"}
    )
    for _ in range(3):
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.read() == b"ok"
    final = cluster.sessions_served()
    assert final[other] - after[other] == 3 and final[server] == after[server]


def test_the_app_draws_through_the_proxy_over_its_websocket(cluster, browser):
    """The page is drawn only once the WebSocket (/_stcore/stream) has carried the script's
    output; everything the browser asked for went to the one server its cookie names."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(cluster.url)
    draws_the_overview(page)
    first = server_of(context)
    served = cluster.sessions_served()
    page.goto(f"{cluster.url}/Indicator?indicator=ehcp-issued-20-weeks")
    wait_for_app(page)
    assert page.get_by_text("EHC plans issued within 20 weeks").first.is_visible()
    assert server_of(context) == first
    now = cluster.sessions_served()
    other = ({"app1", "app2"} - {first}).pop()
    assert now[other] == served[other] and now[first] > served[first]
    context.close()


def test_a_killed_server_sends_its_readers_to_the_other(demo_db, browser):
    """kill -9 one app server while twenty sessions use the app: a reload reaches the other
    server at once with no error page, the twenty open both pages again on it without an
    error, and the health checks mark the dead one down."""
    cluster = start_cluster(demo_db)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(cluster.url)
        draws_the_overview(page)
        victim = server_of(context)
        survivor = ({"app1", "app2"} - {victim}).pop()
        crowd = [load.PAGES] * 20
        using = threading.Thread(
            target=load._run, args=(lambda: load._crowd(cluster.url, crowd, 120),)
        )
        using.start()
        time.sleep(1)  # the twenty are connected and drawing, on both servers (leastconn)
        next(a for a in cluster.apps if a.name == victim).process.send_signal(signal.SIGKILL)
        using.join(timeout=180)
        # At once, before any health check has noticed: the proxy's retry sends the reload on.
        fresh = context.new_page()
        response = fresh.goto(cluster.url)
        assert response is not None and response.status == 200
        draws_the_overview(fresh)
        assert server_of(context) == survivor
        deadline = time.monotonic() + 15
        while cluster.server_states()[victim] != "DOWN" and time.monotonic() < deadline:
            time.sleep(0.5)
        states = cluster.server_states()
        assert states[victim] == "DOWN" and states[survivor].startswith("UP"), states
        before = cluster.sessions_served()
        again = load._run(lambda: load._crowd(cluster.url, crowd, 120))  # they reload
        assert [r for r in again if isinstance(r, BaseException) or r.errors] == []
        assert cluster.sessions_served()[survivor] - before[survivor] >= 20
        assert cluster.sessions_served()[victim] == before[victim]
        context.close()
    finally:
        cluster.stop()


def test_a_sign_in_through_one_server_is_honoured_by_the_other(demo_db, browser, tmp_path):
    """Signed in for real (an OIDC provider, `[auth]` in a secrets file, the front door's
    address as redirect_uri): when the proxy sends the browser to the other app server, the
    person is still signed in there (the identity cookie is signed with [auth]'s shared
    cookie_secret), not asked to sign in again."""
    provider = Provider(tmp_path / "oidc.log")
    port, options, env = sign_in_settings(tmp_path, provider)
    cluster = Cluster(
        port=port, duckdb_copies=True, source_db=demo_db, app_options=options, app_env=env
    )
    try:
        cluster.__enter__()
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, cluster, "ana")
        assert "Signed in as Ana Analyst" in page.locator("body").text_content()
        other = ({"app1", "app2"} - {server_of(context)}).pop()
        context.add_cookies([{"name": COOKIE, "value": other, "url": cluster.url}])
        before = cluster.sessions_served()[other]
        page.goto(f"{cluster.url}/Upload")
        wait_for_app(page)
        assert server_of(context) == other and cluster.sessions_served()[other] > before
        assert "Signed in as Ana Analyst" in page.locator("body").text_content()
        assert page.get_by_role("button", name="Sign in").count() == 0
        upload = page.get_by_role("region", name="Quarterly return (.xlsx or .csv)")
        assert upload.count() == 1  # an analyst's own page
        context.close()
    finally:
        cluster.stop()
        provider.stop()


def test_ctrl_c_stops_the_proxy_and_every_app_server(demo_db):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "deploy.cluster",
        "--duckdb-copies",
        "--db",
        str(demo_db),
        "--servers",
        "1",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith(f"http://127.0.0.1:{port} "), line
        run_dir = Path(re.search(r"logs in (\S+);", line).group(1))  # type: ignore[union-attr]
        app_ports = re.findall(
            r"server app\d 127\.0\.0\.1:(\d+)", (run_dir / "haproxy.cfg").read_text()
        )
        assert len(app_ports) == 1
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    for p in [port, *map(int, app_ports)]:
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{p}/_stcore/health", timeout=2)
    assert not run_dir.exists()


def test_a_demo_cluster_listens_on_loopback_only(tmp_path):
    cluster = Cluster(address="0.0.0.0", run_dir=tmp_path / "run")
    with pytest.raises(ClusterError, match=re.escape("127.0.0.1 or localhost only, not 0.0.0.0")):
        cluster.start()
    assert cluster.apps == [] and cluster.proxy is None


def test_the_shipped_configuration_is_valid_haproxy(tmp_path):
    config = tmp_path / "haproxy.cfg"
    servers = [("app1", 8601), ("app2", 8602), ("app3", 8603)]
    config.write_text(haproxy_config("127.0.0.1:8500", tmp_path, servers))
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    result = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower()
    text = config.read_text()
    assert "server app3 127.0.0.1:8603 check cookie app3" in text
    assert "timeout tunnel 1h" in text and "@" not in text.split("global")[1].split("#")[0]


def test_the_host_based_routing_in_docs_scaling_is_valid_haproxy(tmp_path):
    """docs/scaling.md's configuration for many councils, under deploy/haproxy.cfg's global
    and defaults sections, passes `haproxy -c` without a warning."""
    docs = (ROOT / "docs" / "scaling.md").read_text()
    block = re.search(r"```haproxy\n(.*?)```", docs, re.S).group(1)  # type: ignore[union-attr]
    councils = tmp_path / "councils.map"
    councils.write_text("outcomes.hartlepool.gov.uk hartlepool\noutcomes.york.gov.uk york\n")
    head = haproxy_config("127.0.0.1:8500", tmp_path, []).split("frontend outcomes")[0]
    config = tmp_path / "councils.cfg"
    config.write_text(head + block.replace("/etc/haproxy/councils.map", str(councils)))
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    result = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower()
    assert "deny_status 404" in block  # an unknown host is refused, never a default council


def psql(url: str) -> subprocess.CompletedProcess[str]:
    """Debian's psql (installed with PostgreSQL) asking who and where it is."""
    query = "SELECT current_user || ' ' || current_database()"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    return subprocess.run(
        ["psql", url, "-XtAc", query], capture_output=True, text=True, env=env, timeout=30
    )


def test_the_clusters_own_postgresql_starts_takes_its_role_and_stops():
    """make cluster's throwaway PostgreSQL: run as `postgres` (it refuses root), reached on
    127.0.0.1 by the `outcomes` role with the password in its URL and by nobody without it;
    stopped and its folder gone afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="outcomes-postgres-"))
    postgres = Postgres(folder, free_port())
    try:
        postgres.start()
        assert psql(postgres.url).stdout.strip() == "outcomes outcomes"
        wrong = psql(postgres.url.replace(postgres.password, "not-the-password"))
        assert wrong.returncode != 0 and "password authentication failed" in wrong.stderr
    finally:
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)
    assert "Connection refused" in psql(postgres.url).stderr
