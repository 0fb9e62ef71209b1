"""Real processes for tests and benchmarks: a Celery worker in its own process
group (so it can be SIGKILLed whole) and a private redis-server (so it can be
stopped without touching the shared one).

Used by tests/integration/ and bench/worker_kill.py.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import redis

from tests.support.waiting import wait_for

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def worker_start(
    *, env: dict[str, str], log: Path, hostname: str, pool: str = "solo"
) -> Worker:
    """Start `celery -A exitwatch worker` with `env` and wait until it is ready."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "exitwatch",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={hostname}",
        ],
        cwd=REPO,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, killed whole
    )
    worker = Worker(process, log)
    try:
        wait_for(lambda: " ready." in worker.output(), 30, "the worker to start")
    except BaseException:
        worker.kill()
        raise
    return worker


def free_port(port_range: str) -> int:
    """The highest port of `port_range` ("low-high") nobody listens on."""
    low, high = (int(p) for p in port_range.split("-"))
    for port in range(high, low - 1, -1):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {port_range}")


def redis_command(port: int, *extra: str) -> list[str]:
    """A redis-server on loopback that keeps nothing on disk (tests and benches)."""
    return [
        "redis-server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        *extra,
    ]


class PrivateRedis:
    """A redis-server of our own, so it can be stopped: the shared one is never
    touched."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            redis_command(self.port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        wait_for(lambda: self._ping(client), 10, "the private Redis to start")

    @staticmethod
    def _ping(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
