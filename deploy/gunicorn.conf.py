"""gunicorn's hooks for Prometheus's multiprocess mode (docs/operations.md).

Each gunicorn worker writes its counters to files in PROMETHEUS_MULTIPROC_DIR and a
scrape of /metrics adds them up. The directory is emptied when gunicorn starts
(files of a previous run would be counted again) and a dead worker's live gauges
are dropped. Django is not loaded here: the master never imports the app.
"""

import os
import shutil
from pathlib import Path

from prometheus_client import multiprocess


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
