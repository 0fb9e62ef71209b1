"""docker-compose.yml has the production shape; the nginx templates render to a
configuration nginx accepts, and it behaves as documented in front of a live app."""

import http.client
import os
import re
import shutil
import socket
import socketserver
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

import pytest
import yaml

from tests.support.onion import ONION
from tests.support.ports import worker_port

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_web_worker_and_beat_share_one_image_through_the_anchor(compose):
    services = compose["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    assert images == {"exitwatch:latest"}
    for name in APP_SERVICES:
        assert services[name]["build"] == {"context": ".", "target": "app"}
        assert services[name]["env_file"] == ".env"
        for dependency in ("db", "redis"):
            condition = services[name]["depends_on"][dependency]["condition"]
            assert condition == "service_healthy"


def test_there_is_exactly_one_beat_and_gunicorn_has_no_control_socket(compose):
    services = compose["services"]
    beats = [n for n, s in services.items() if "beat" in " ".join(s.get("command", []))]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert "--no-control-socket" in services["web"]["command"]


def test_every_long_running_service_is_checked_or_waits_for_a_checked_one(compose):
    services = compose["services"]
    for name in ("db", "redis", "web"):
        assert "healthcheck" in services[name], name
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["nginx"]["build"]["target"] == "nginx"


def test_tor_publishes_nginx_with_its_key_on_a_named_volume(compose):
    tor = compose["services"]["tor"]
    assert tor["build"] == {"context": "deploy/tor"}
    assert "nginx" in tor["depends_on"]
    mounts = dict(volume.split(":", 1) for volume in tor["volumes"])
    assert mounts == {"tor-keys": "/var/lib/tor"}
    assert "tor-keys" in compose["volumes"]  # named: kept across rebuilds
    # nginx's onion block is reachable on compose's network only.
    assert compose["services"]["nginx"]["expose"] == ["8081"]
    assert not any("8081" in port for port in compose["services"]["nginx"]["ports"])


def torrc() -> dict[str, list[str]]:
    options: dict[str, list[str]] = {}
    for line in (ROOT / "deploy/tor/torrc").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, value = line.split(None, 1)
            options.setdefault(name, []).append(value)
    return options


def test_the_torrc_points_the_onion_at_nginx_and_keeps_its_key_on_the_volume():
    options = torrc()
    assert options["HiddenServicePort"] == ["80 nginx:8081"]
    assert options["HiddenServiceDir"] == ["/var/lib/tor/exitwatch"]
    assert options["SocksPort"] == ["0"]  # publishes only; proxies for no one
    render = (ROOT / "deploy/nginx/render").read_text()
    assert ': "${NGINX_ONION_LISTEN:=8081}"' in render
    dockerfile = (ROOT / "deploy/tor/Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM debian:bookworm-slim" in dockerfile
    assert "install -y --no-install-recommends tor" in dockerfile
    # Created in the image, so the new volume takes tor's owner and mode from it.
    assert "-o debian-tor -g debian-tor -m 0700 /var/lib/tor/exitwatch" in dockerfile
    assert "USER debian-tor" in dockerfile


def test_the_example_environment_names_every_required_setting():
    names = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    required = {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"}
    assert required | {"REDIS_URL", "POSTGRES_PASSWORD", "NUM_PROXIES"} <= names


def test_html_is_compressed_at_the_level_the_page_size_tests_measure():
    # tests/routes/mapdoc/test_pages_lite.py and tests/mirror measure the first
    # response at gzip -6; nginx's default, 1, puts the Russian /lite/ past 14 KB.
    config = (ROOT / "deploy/nginx/nginx.conf.template").read_text()
    assert "gzip_comp_level 6;" in config


def test_the_worker_exports_the_mirror_into_a_folder_inside_its_named_volume(compose):
    worker = compose["services"]["worker"]
    mounts = dict(volume.split(":", 1) for volume in worker["volumes"])
    assert mounts == {"mirror": "/srv/exitwatch-mirror"}
    assert "mirror" in compose["volumes"]
    # Each export is renamed into place beside the last: never the mount itself.
    folder = worker["environment"]["MIRROR_EXPORT_DIR"]
    assert folder.endswith("/srv/exitwatch-mirror/site}")
    assert "chown nobody /srv/exitwatch-mirror" in (ROOT / "Dockerfile").read_text()


def test_docker_compose_accepts_the_file(tmp_path):
    # docker-compose (v1, Debian) validates without a Docker engine; .ci/run installs
    # it. The structure tests above hold wherever it is missing.
    if not shutil.which("docker-compose"):
        pytest.fail("docker-compose is needed: apt-get install -y docker-compose")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    shutil.copytree(ROOT / "deploy/tor", tmp_path / "deploy/tor")  # a build context
    result = subprocess.run(
        ["docker-compose", "config", "--services"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "tor" in result.stdout.split()


# -- the image's build context (.dockerignore) --------------------------------------


def dockerignore_patterns() -> list[re.Pattern]:
    """.dockerignore's patterns as Docker reads them: relative to the context,
    `*` within one path segment, `**` across any number of them. (It has no `!`
    exceptions; this reader would need them added.)"""
    patterns = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip().strip("/")
        if not line or line.startswith("#"):
            continue
        assert not line.startswith("!"), "exceptions are not read here"
        regex = re.escape(line)
        regex = regex.replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
        regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        patterns.append(re.compile(regex))
    return patterns


def left_out(path: str, patterns: list[re.Pattern]) -> bool:
    """Docker leaves a path out when a pattern matches it or a directory above it."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(p.fullmatch(prefix) for p in patterns for prefix in prefixes)


def test_the_build_context_holds_what_the_image_runs():
    from django.conf import settings

    patterns = dockerignore_patterns()
    apps = {name.split(".")[0] for name in settings.INSTALLED_APPS}
    needed = [ROOT / "manage.py", ROOT / "requirements.txt", ROOT / "deploy/nginx"]
    needed += [ROOT / name for name in apps if (ROOT / name).is_dir()]
    needed += [Path(d) for d in settings.STATICFILES_DIRS + settings.LOCALE_PATHS]
    needed += [Path(d) for t in settings.TEMPLATES for d in t["DIRS"]]
    files = [
        f
        for root in needed
        for f in ([root] if root.is_file() else root.rglob("*"))
        if f.is_file() and "__pycache__" not in f.parts
    ]
    assert any("seed" in f.parts for f in files)  # routes/seed/, read by `seed`
    missing = [str(f.relative_to(ROOT)) for f in files]
    assert [f for f in missing if left_out(f, patterns)] == []


@pytest.mark.parametrize(
    "path",
    [
        "tests/conftest.py",
        "tests/data/README.md",
        "bench/harness.py",
        ".git/HEAD",
        ".venv/bin/python",
        "staticfiles/css/site.css",
        "db.sqlite3",
        "routes/__pycache__/models.cpython-311.pyc",
        ".pytest_cache/README.md",
        ".env",
    ],
)
def test_the_build_context_leaves_out_tests_benches_and_local_state(path):
    assert left_out(path, dockerignore_patterns())


# -- nginx, for real ---------------------------------------------------------------

NGINX_PORT, APP_PORT = worker_port(8596), worker_port(8597)
ONION_PORT = worker_port(8598)  # nginx's onion server block, as tor reaches it


class FakeApp(BaseHTTPRequestHandler):
    """Stands in for gunicorn: counts hits, echoes what nginx forwarded."""

    protocol_version = "HTTP/1.1"  # as gunicorn: keep-alive to nginx's upstream pool
    hits: dict[str, int] = {}
    request_ids: list[str] = []
    snapshot = "v1"  # what the map answers: a test changes it like a write would

    def do_GET(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        FakeApp.hits[self.path] = FakeApp.hits.get(self.path, 0) + 1
        FakeApp.request_ids.append(self.headers.get("X-Request-ID") or "")
        body = f"{self.path} {self.headers.get('X-Forwarded-For')}".encode()
        if self.path == "/api/v1/map/":
            body = f"map {FakeApp.snapshot}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "public, max-age=15")
        self.send_header("X-Seen-Host", self.headers.get("Host") or "")
        self.send_header("X-Seen-Proto", self.headers.get("X-Forwarded-Proto") or "")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def fake_app():
    app = ThreadingHTTPServer(("127.0.0.1", APP_PORT), FakeApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    yield app
    app.shutdown()


def start_nginx(
    run: Path, port: int, onion_port: int, **settings: str
) -> subprocess.Popen:
    """Render the templates into `run` with these NGINX_* settings (and the test
    defaults) and start nginx on `port` (its onion block on `onion_port`) in
    front of the fake app."""
    if not shutil.which("nginx"):
        pytest.fail("nginx is needed: apt-get install -y nginx (.ci/run does)")
    (run / "extra").mkdir()
    env = dict(
        os.environ,
        NGINX_USER="root",
        NGINX_WORKERS="1",
        NGINX_RUN_DIR=str(run / "run"),
        NGINX_ERROR_LOG=str(run / "error.log"),
        NGINX_ACCESS_LOG=f"{run / 'access.log'} exitwatch",
        NGINX_LISTEN=f"127.0.0.1:{port}",
        NGINX_ONION_LISTEN=f"127.0.0.1:{onion_port}",
        NGINX_SERVER_NAME="exitwatch.test",
        NGINX_STATIC_ROOT=str(ROOT / "static"),
        NGINX_CACHE_DIR=str(run / "cache"),
        NGINX_INCLUDE_DIR=str(run / "extra"),
        NGINX_REPORT_RATE="6r/m",
        NGINX_REPORT_BURST="2",
        **{
            "NGINX_UPSTREAM": f"127.0.0.1:{APP_PORT}",
            "NUM_PROXIES": "1",
            "NGINX_REAL_IP_FROM": "",
            **settings,
        },
    )
    subprocess.run(
        [str(ROOT / "deploy/nginx/render"), str(run / "conf")], env=env, check=True
    )
    conf = str(run / "conf" / "nginx.conf")
    process = subprocess.Popen(
        ["nginx", "-c", conf, "-e", str(run / "error.log"), "-g", "daemon off;"]
    )
    deadline = time.monotonic() + 10
    waiting = [port, onion_port]
    while waiting and time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", waiting[0])) == 0:
                waiting.pop(0)
                continue
        time.sleep(0.05)
    return process


def stop_nginx(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def nginx(tmp_path_factory, fake_app):
    run = tmp_path_factory.mktemp("nginx")
    process = start_nginx(run, NGINX_PORT, ONION_PORT)
    yield run  # its directory: the rendered config and the access log
    stop_nginx(process)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to look at, not to follow."""

    def redirect_request(self, *args: object) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(path, method="GET", host="exitwatch.test", headers=None, port=NGINX_PORT):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=b"x" if method == "POST" else None,
        headers={"Host": host, **(headers or {})},
    )
    try:
        with OPENER.open(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def poll_map(done: Callable[[tuple], bool], seconds: float = 5.0) -> list[tuple]:
    """Ask for the map every 50 ms until `done(answer)` or `seconds` have passed;
    every answer, in order. Callers assert on what it returns: a timeout passes
    nothing by itself."""
    answers = []
    deadline = time.monotonic() + seconds
    while True:
        answers.append(call("/api/v1/map/"))
        if done(answers[-1]) or time.monotonic() > deadline:
            return answers
        time.sleep(0.05)


def expired(answer: tuple) -> bool:
    """The answer came from a copy past its validity, not a fresh one."""
    return answer[1]["X-Cache"] != "HIT"


def test_the_map_is_answered_from_the_micro_cache(nginx):
    FakeApp.hits.clear()
    statuses = [call("/api/v1/map/")[0] for _ in range(20)]
    assert statuses == [200] * 20
    assert FakeApp.hits["/api/v1/map/"] == 1
    _, headers, _ = call("/api/v1/map/")
    assert headers["X-Cache"] == "HIT"
    assert headers["Cache-Control"] == "public, max-age=15"  # browsers: unchanged
    # Past the 2-second validity (whole seconds to nginx: up to 3) one request
    # refreshes the copy in the background, the caller getting the old one at once;
    # everyone else keeps getting a copy until the new one is in.
    answers = poll_map(expired)
    answers += poll_map(
        lambda answer: (
            FakeApp.hits["/api/v1/map/"] == 2 and answer[1]["X-Cache"] == "HIT"
        )
    )
    answers += [call("/api/v1/map/") for _ in range(5)]
    states = [answer[1]["X-Cache"] for answer in answers]
    assert FakeApp.hits["/api/v1/map/"] == 2, states
    assert "MISS" not in states
    assert states[-5:] == ["HIT"] * 5, states


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/map/lean/ru/",
        "/api/v1/map/crossings/upper-lars/",
        "/lite/crossings/upper-lars/",
    ],
)
def test_the_lean_map_details_and_text_pages_are_micro_cached_too(nginx, path):
    FakeApp.hits.pop(path, None)
    answers = [call(path) for _ in range(10)]
    assert [a[0] for a in answers] == [200] * 10
    assert FakeApp.hits[path] == 1
    assert answers[-1][1]["X-Cache"] == "HIT"


def test_a_refreshed_copy_is_served_not_the_file_nginx_held_open(nginx):
    # open_file_cache keeps cache files open; a refresh writes a new file and the
    # next hits must read that one, not the old descriptor. nginx counts validity
    # in whole seconds, so "2 s" lasts up to 3.
    FakeApp.snapshot = "v1"
    # A copy from an earlier test is either v1 already or refreshed to it.
    poll_map(lambda answer: answer[2] == b"map v1" and answer[1]["X-Cache"] == "HIT")
    assert [call("/api/v1/map/")[2] for _ in range(5)] == [b"map v1"] * 5
    FakeApp.snapshot = "v2"
    # Hits read the v1 file until it expires; that request is served stale and
    # the copy refreshed in the background.
    assert expired(poll_map(expired)[-1])
    # Until the refresh lands; a copy stuck at v1 fails the assertions below.
    poll_map(lambda answer: answer[2] == b"map v2" and answer[1]["X-Cache"] == "HIT")
    answers = [call("/api/v1/map/") for _ in range(5)]
    assert [a[2] for a in answers] == [b"map v2"] * 5
    assert {a[1]["X-Cache"] for a in answers} == {"HIT"}


def test_staff_with_a_session_cookie_bypass_the_cache(nginx):
    FakeApp.hits.clear()
    for _ in range(3):
        call("/lite/", headers={"Cookie": "__Host-sessionid=abc"})
    assert FakeApp.hits["/lite/"] == 3


def test_lite_for_a_travellers_profile_is_never_kept_in_the_cache(nginx):
    FakeApp.hits.clear()
    path = "/lite/?document=internal&mode=car"
    for _ in range(3):
        assert call(path)[0] == 200
    assert FakeApp.hits[path] == 3


def test_other_pages_are_not_cached(nginx):
    FakeApp.hits.clear()
    for _ in range(3):
        call("/crossings/upper-lars/")
    assert FakeApp.hits["/crossings/upper-lars/"] == 3


def test_unknown_hosts_get_no_answer(nginx):
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        call("/", host="evil.example")


def test_report_posts_are_rate_limited_per_address(nginx):
    statuses = [call("/api/v1/reports/", method="POST")[0] for _ in range(6)]
    assert statuses[:3] == [200, 200, 200]  # one plus a burst of two
    assert set(statuses[3:]) == {429}
    # Reading the report form is not limited.
    assert {call("/report/")[0] for _ in range(5)} == {200}


def test_the_access_log_has_no_line_for_a_report(nginx):
    # A line per submission would time each report to the second.
    call("/api/v1/reports/", method="POST")
    call("/report/upper-lars/")
    call("/crossings/kept-in-the-log/")
    log = nginx / "access.log"
    deadline = time.monotonic() + 5
    while "kept-in-the-log" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    text = log.read_text()
    assert "/crossings/kept-in-the-log/" in text
    assert "/report" not in text


def test_nginx_appends_the_address_it_saw_to_forwarded_for(nginx):
    _, _, body = call("/x/", headers={"X-Forwarded-For": "6.6.6.6"})
    assert body.decode() == "/x/ 6.6.6.6, 127.0.0.1"


def test_bodies_over_the_limit_are_refused_before_the_app(nginx):
    request = urllib.request.Request(
        f"http://127.0.0.1:{NGINX_PORT}/api/v1/reports/",
        method="POST",
        data=b"x" * 20_000,
        headers={"Host": "exitwatch.test"},
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)
    assert error.value.code in (413, 429)


def test_the_report_api_below_the_list_is_not_logged_either(nginx):
    # form-token/ is fetched once per API report, right before it: its line would
    # time the report to the second.
    call("/api/v1/reports/form-token/")
    call("/api/v1/reports/crossings/upper-lars/")
    call("/crossings/after-the-token/")
    log = nginx / "access.log"
    deadline = time.monotonic() + 5
    while "after-the-token" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    text = log.read_text()
    assert "/crossings/after-the-token/" in text
    assert "/api/v1/reports" not in text


def test_metrics_are_not_served_to_the_public(nginx):
    FakeApp.hits.clear()
    for path in ("/metrics", "/metrics/", "/metrics?x=1"):
        status, _, _ = call(path, headers={"Authorization": "Bearer guessed"})
        assert status == 404
    assert FakeApp.hits == {}


def test_nginx_passes_a_request_id_on(nginx):
    FakeApp.hits.clear()
    call("/with-an-id/")
    assert FakeApp.request_ids
    assert re.fullmatch(r"[0-9a-f]{32}", FakeApp.request_ids[-1])


# -- the onion service's server block ------------------------------------------------


def test_the_onion_block_says_http_and_passes_on_no_address_a_client_wrote(nginx):
    # Through Tor a client can write any header: neither may reach Django.
    status, headers, body = call(
        "/via-tor/",
        host=ONION,
        headers={"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https"},
        port=ONION_PORT,
    )
    assert status == 200
    assert body.decode() == "/via-tor/ 127.0.0.1"  # the tor container's address
    assert headers["X-Seen-Proto"] == "http"
    assert headers["X-Seen-Host"] == ONION


def test_the_clearnet_block_is_unchanged_by_it(nginx):
    _, headers, _ = call("/x/", headers={"X-Forwarded-Proto": "https"})
    assert headers["X-Seen-Proto"] == "http"  # NGINX_TRUST_FORWARDED_PROTO=0
    assert headers["X-Seen-Host"] == "exitwatch.test"


def test_the_onion_name_gets_no_answer_on_the_clearnet_port(nginx):
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        call("/", host=ONION)


def test_the_micro_cache_keeps_each_address_apart(nginx):
    # A page over the clearnet names the onion (Onion-Location); over Tor it does not.
    FakeApp.hits.clear()
    path = "/lite/?lang=en&copy=onion-test"
    assert [call(path)[0] for _ in range(2)] == [200, 200]
    over_tor = [call(path, host=ONION, port=ONION_PORT)[0] for _ in range(2)]
    assert over_tor == [200, 200]
    assert FakeApp.hits[path] == 2


def test_the_onion_block_keeps_the_sites_rules(nginx):
    FakeApp.hits.clear()
    assert call("/metrics", host=ONION, port=ONION_PORT)[0] == 404
    status, headers, _ = call("/static/css/lite.css", host=ONION, port=ONION_PORT)
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert FakeApp.hits == {}


# -- Django behind nginx, at both addresses -----------------------------------------

DJANGO_NGINX_PORT, DJANGO_ONION_PORT, DJANGO_PORT = (
    worker_port(8395),
    worker_port(8396),
    worker_port(8397),
)


class QuietThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def django_behind_nginx(tmp_path_factory):
    """This Django, with production's HTTPS settings and an onion address, served
    on loopback; nginx in front as compose runs it behind a TLS-ending balancer
    (X-Forwarded-Proto trusted on the clearnet)."""
    from django.core.wsgi import get_wsgi_application
    from django.test import override_settings

    production = override_settings(
        ALLOWED_HOSTS=["exitwatch.test", ONION],
        ONION_ADDRESS=ONION,
        SECURE_SSL_REDIRECT=True,
        SECURE_HSTS_SECONDS=31536000,
    )
    production.enable()
    server = QuietThreadingWSGIServer(("127.0.0.1", DJANGO_PORT), QuietHandler)
    server.set_app(get_wsgi_application())  # middleware built with the settings above
    threading.Thread(target=server.serve_forever, daemon=True).start()
    run = tmp_path_factory.mktemp("django")
    process = start_nginx(
        run,
        DJANGO_NGINX_PORT,
        DJANGO_ONION_PORT,
        NGINX_UPSTREAM=f"127.0.0.1:{DJANGO_PORT}",
        NGINX_TRUST_FORWARDED_PROTO="1",
    )
    yield
    stop_nginx(process)
    server.shutdown()
    production.disable()


def test_over_the_clearnet_http_is_sent_to_https(django_behind_nginx):
    status, headers, _ = call(
        "/privacy/", headers={"X-Forwarded-Proto": "http"}, port=DJANGO_NGINX_PORT
    )
    assert status == 301
    assert headers["Location"] == "https://exitwatch.test/privacy/"


def test_over_the_clearnet_https_pages_name_the_onion_and_pin_https(
    django_behind_nginx,
):
    status, headers, body = call(
        "/privacy/?lang=ru",
        headers={"X-Forwarded-Proto": "https"},
        port=DJANGO_NGINX_PORT,
    )
    assert status == 200
    assert headers["Onion-Location"] == f"http://{ONION}/privacy/?lang=ru"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert f"http://{ONION}/" in body.decode()  # the footer names it too


def test_over_tor_the_site_answers_in_plain_http_without_hsts(django_behind_nginx):
    # Even when the client claims https: nginx's onion block says http.
    status, headers, body = call(
        "/privacy/",
        host=ONION,
        headers={"X-Forwarded-Proto": "https"},
        port=DJANGO_ONION_PORT,
    )
    assert status == 200
    assert "Location" not in headers
    assert "Strict-Transport-Security" not in headers
    assert "Onion-Location" not in headers
    assert 'id="tor"' in body.decode()


# -- nginx behind a load balancer --------------------------------------------------

BALANCED_PORT, BALANCED_ONION_PORT = worker_port(8393), worker_port(8394)
BALANCER, OUTSIDER = "127.0.0.1", "127.0.0.2"  # both loopback; only one trusted


@pytest.fixture(scope="module")
def balanced(tmp_path_factory, fake_app):
    """nginx as .env.example describes it behind a load balancer: the balancer's
    range trusted for X-Forwarded-For, NUM_PROXIES counting its hop."""
    run = tmp_path_factory.mktemp("balanced")
    process = start_nginx(
        run,
        BALANCED_PORT,
        BALANCED_ONION_PORT,
        NGINX_REAL_IP_FROM=f"{BALANCER}/32",
        NUM_PROXIES="2",
    )
    yield run
    stop_nginx(process)


def via(source: str, path: str, method: str = "GET", forwarded: str = "") -> tuple:
    """A request to the balanced nginx from `source`, as a balancer sends it: with
    the X-Forwarded-For it built (the client's header plus the client)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", BALANCED_PORT, timeout=5, source_address=(source, 0)
    )
    headers = {"Host": "exitwatch.test"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    try:
        connection.request(
            method, path, body=b"x" if method == "POST" else None, headers=headers
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_behind_a_balancer_one_attacker_does_not_get_other_travellers_refused(
    balanced,
):
    attacker = [
        via(BALANCER, "/api/v1/reports/", "POST", "203.0.113.66")[0] for _ in range(6)
    ]
    assert attacker == [200, 200, 200, 429, 429, 429]  # one plus a burst of two
    travellers = [
        via(BALANCER, "/api/v1/reports/", "POST", f"198.51.100.{n}")[0]
        for n in range(1, 5)
    ]
    assert travellers == [200, 200, 200, 200]


def test_behind_a_balancer_a_forged_forwarded_for_gives_no_fresh_address(balanced):
    # The client writes an address of its own choosing; the balancer appends the
    # one it saw. Only the balancer's hop is believed.
    statuses = [
        via(BALANCER, "/api/v1/reports/", "POST", f"10.9.9.{n}, 203.0.113.77")[0]
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_a_client_outside_the_balancer_ranges_cannot_pick_its_address(balanced):
    statuses = [
        via(OUTSIDER, "/api/v1/reports/", "POST", f"198.51.100.{100 + n}")[0]
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_django_sees_the_client_nginx_limited_through_num_proxies(balanced, rf):
    from django.test import override_settings

    from exitwatch.lib.client_ip import client_ip

    _, body = via(BALANCER, "/seen/", forwarded="6.6.6.6, 203.0.113.88")
    path, forwarded = body.decode().split(" ", 1)
    # Each hop appended the address it saw: the balancer the client, nginx the
    # balancer (not the client it worked out, which would count a hop twice).
    assert forwarded == f"6.6.6.6, 203.0.113.88, {BALANCER}"
    request = rf.get(path, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(NUM_PROXIES=2):
        assert client_ip(request) == "203.0.113.88"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"NUM_PROXIES": "2"}, "set NGINX_REAL_IP_FROM"),
        (
            {"NUM_PROXIES": "1", "NGINX_REAL_IP_FROM": "10.0.0.0/8"},
            "NUM_PROXIES must count the balancer",
        ),
        (
            {"NUM_PROXIES": "2", "NGINX_REAL_IP_FROM": "10.0.0.0/8; allow all"},
            "is not an address",
        ),
    ],
)
def test_the_render_refuses_a_balancer_setup_django_would_read_otherwise(
    tmp_path, settings, message
):
    env = dict(
        os.environ,
        NGINX_RUN_DIR=str(tmp_path / "run"),
        NGINX_CACHE_DIR=str(tmp_path / "cache"),
        NGINX_INCLUDE_DIR=str(tmp_path / "extra"),
        **{"NGINX_REAL_IP_FROM": "", **settings},
    )
    result = subprocess.run(
        [str(ROOT / "deploy/nginx/render"), str(tmp_path / "conf")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert message in result.stderr
