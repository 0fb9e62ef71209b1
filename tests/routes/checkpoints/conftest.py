from functools import cache

import pytest

from routes.checkpoints.sources.rosgranstroy import parse
from tests.datafiles import ROSGRANSTROY_JANUARY, ROSGRANSTROY_JUNE

FEED = "https://rosgranstroy.ru/api/map_data"


@cache
def _parsed(path):
    return tuple(parse(path.read_bytes()))


@pytest.fixture
def january():
    return list(_parsed(ROSGRANSTROY_JANUARY))


@pytest.fixture
def june():
    return list(_parsed(ROSGRANSTROY_JUNE))
