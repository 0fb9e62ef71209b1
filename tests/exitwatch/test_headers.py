"""Every page carries the strict Content-Security-Policy and the security headers."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", ["/", "/admin/login/"])
def test_pages_carry_a_csp_with_no_inline_script_and_tiles_in_img_src_only(
    client, path
):
    response = client.get(path)
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert settings.TILE_ORIGIN == "https://tile.openstreetmap.org"
    assert settings.TILE_ORIGIN in csp["img-src"]
    others = [v for name, values in csp.items() if name != "img-src" for v in values]
    assert settings.TILE_ORIGIN not in others
    assert not any("unsafe" in value for value in others + csp["img-src"])


def test_pages_carry_nosniff_referrer_policy_and_deny_framing(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script(client):
    body = client.get("/").content.decode()
    # Every <script> element must load a file: CSP would block an inline one.
    for chunk in body.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag or 'type="application/json"' in tag, tag
