"""The origin a Content-Security-Policy must allow for a configured URL template."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from exitwatch.lib.csp_origin import csp_origin


@pytest.mark.parametrize(
    ("template", "origin"),
    [
        (
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "https://tile.openstreetmap.org",
        ),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        (
            "http://tiles.example.net:8080/{z}/{x}/{y}.png",
            "http://tiles.example.net:8080",
        ),
        ("/tiles/{z}/{x}/{y}.png", ""),
    ],
)
def test_it_gives_the_origin_with_a_leading_placeholder_as_a_wildcard(template, origin):
    assert csp_origin(template, variable="MAP_TILES_URL") == origin


def test_a_placeholder_deeper_in_the_host_is_refused_naming_the_variable():
    with pytest.raises(
        ImproperlyConfigured, match=r"^MAP_TILES_URL may have a \{placeholder\}"
    ):
        csp_origin(
            "https://tiles.{s}.example.org/{z}/{x}/{y}.png", variable="MAP_TILES_URL"
        )
