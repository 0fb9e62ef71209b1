"""Shared pieces of the benchmark scripts: our own servers on loopback, and wrk.

Every process started here listens on 127.0.0.1 on a port from BENCH_PORT_BASE
(default 8510) to 9 above it, and is stopped when the script ends, however it
ends. Nothing here talks to the shared Redis: the scripts start a redis-server of
their own, so they may stop it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the benches share the tests' process helpers

from tests.support.workerproc import redis_command  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
# Two benchmarks on one machine at once each need their own ports.
PORT_BASE = int(os.environ.get("BENCH_PORT_BASE", "8510"))
NGINX_PORT, GUNICORN_PORT, REDIS_PORT = PORT_BASE, PORT_BASE + 1, PORT_BASE + 2
NGINX_ONION_PORT = PORT_BASE + 3  # the onion service's server block, unused here
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/exitwatch_prod"


def app_env(**extra: str) -> dict[str, str]:
    """Production settings on loopback: DEBUG off, PostgreSQL, our own Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SSL_REDIRECT="0",  # plain HTTP on loopback
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_MANIFEST="0",
        NUM_PROXIES="1",  # nginx
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE),
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    ensure_database(env["DATABASE_URL"])
    return env


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database `url` names if it is missing (a new machine)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    listed = subprocess.run(
        ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
         "-U", parts.username or "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    if listed.stdout.strip() != "1":
        subprocess.run(
            ["createdb", "-h", parts.hostname or "127.0.0.1",
             "-p", str(parts.port or 5432), "-U", parts.username or "postgres", name],
            check=True,
        )  # fmt: skip


class Servers(contextlib.ExitStack):
    """Start processes in their own groups; stop them all on exit."""

    def __init__(self) -> None:
        super().__init__()
        self.workdir = Path(tempfile.mkdtemp(prefix="exitwatch-bench-"))
        self.callback(shutil.rmtree, self.workdir, ignore_errors=True)
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], env: dict | None = None):
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        self.callback(self.stop, name)
        return proc

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")[-3000:]

    # -- the pieces ----------------------------------------------------------------

    def redis(self) -> None:
        self.start("redis", redis_command(REDIS_PORT, "--dir", str(self.workdir)))
        wait_port(REDIS_PORT)

    def gunicorn(self, env: dict, workers: int = 2) -> None:
        self.start(
            "gunicorn",
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "exitwatch.wsgi",
                "--bind",
                f"127.0.0.1:{GUNICORN_PORT}",
                "--workers",
                str(workers),
                "--no-control-socket",
                "--timeout",
                "30",
            ],
            env,
        )
        wait_http(f"http://127.0.0.1:{GUNICORN_PORT}/healthz")

    def nginx(self, extra_conf: str = "", workers: str = "1") -> None:
        run = self.workdir / "nginx"
        include = run / "extra"
        include.mkdir(parents=True)
        if extra_conf:
            (include / "bench.conf").write_text(extra_conf)
        env = dict(
            os.environ,
            NGINX_USER="root",
            NGINX_WORKERS=workers,
            NGINX_RUN_DIR=str(run / "run"),
            NGINX_ERROR_LOG=str(run / "error.log"),
            NGINX_ACCESS_LOG="off",
            NGINX_LISTEN=f"127.0.0.1:{NGINX_PORT}",
            NGINX_ONION_LISTEN=f"127.0.0.1:{NGINX_ONION_PORT}",
            NGINX_SERVER_NAME="127.0.0.1 localhost",
            NGINX_UPSTREAM=f"127.0.0.1:{GUNICORN_PORT}",
            NGINX_STATIC_ROOT=str(ROOT / "static"),
            NGINX_CACHE_DIR=str(run / "cache"),
            NGINX_INCLUDE_DIR=str(include),
        )
        subprocess.run(
            [str(ROOT / "deploy" / "nginx" / "render"), str(run / "conf")],
            env=env,
            check=True,
        )
        conf = str(run / "conf" / "nginx.conf")
        subprocess.run(
            ["nginx", "-t", "-q", "-c", conf, "-e", str(run / "error.log")], check=True
        )
        self.start(
            "nginx",
            ["nginx", "-c", conf, "-e", str(run / "error.log"), "-g", "daemon off;"],
        )
        wait_port(NGINX_PORT)


def wait_port(port: int, timeout: float = 15) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, whatever it says
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def fetch(
    url: str, headers: dict | None = None, json_body: object = None
) -> tuple[int, dict, bytes]:
    """GET `url`, or POST `json_body` as JSON; the status, headers and body."""
    headers = dict(headers or {})
    data = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def manage(*args: str, env: dict) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int = 32,
    threads: int = 2,
    headers: dict | None = None,
    script: str | None = None,
) -> dict:
    """Run wrk once; requests/s, p50/p99 in ms, non-2xx/3xx and socket errors."""
    args = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    if script:
        args += ["-s", script]
    out = subprocess.run(
        args + [url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)$", out, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)$", out, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx_3xx": int(m.group(1))
        if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out))
        else 0,
        "socket_errors": sum(
            int(n)
            for n in re.findall(
                r"(?:connect|read|write|timeout) (\d+)", out.split("Socket errors:")[1]
            )
        )
        if "Socket errors:" in out
        else 0,
        "raw": out,
    }


def logs_done(workdir: Path) -> None:
    """Remove a run's worker logs, or keep them and say where when
    BENCH_KEEP_LOGS is set."""
    if os.environ.get("BENCH_KEEP_LOGS"):
        print(f"worker logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values)
