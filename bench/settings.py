"""The production settings with bench's own urlconf: benchmarks reach the
everyday-Django baseline endpoint; production URLs never import bench code."""

from exitwatch.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
