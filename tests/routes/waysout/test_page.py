"""/ways-out/: the question as a plain form, the answer as a list, no script needed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
URL = "/ways-out/"


def test_the_page_asks_the_question_with_a_plain_get_form(client, orenburg):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form class="profile" method="get"' in page
    assert 'value="orenburg"' in page
    for name in ("citizenship", "document", "visa", "mode", "at"):
        assert f'name="{name}"' in page
    # Nothing about the traveller goes into a shared cache.
    assert "private" in response["Cache-Control"]


def test_the_answer_lists_the_open_ways_first_with_their_reasons(
    client, orenburg, kazakh_crossing
):
    response = client.get(
        URL, {"from": "orenburg", "document": "internal", "mode": "car"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 way out is open to you from Orenburg" in page
    assert "Kazakhstan: no visa for up to 90 days within any 180 days." in page
    assert "/crossings/orsk-road/" in page


def test_the_page_answers_in_russian(client, orenburg, kazakh_crossing):
    response = client.get(URL, {"from": "orenburg", "lang": "ru"})
    page = response.content.decode()
    assert '<html lang="ru">' in page
    assert "Оренбург" in page
    assert "Казахстан" in page


def test_a_wrong_question_is_a_400_page_that_says_why(client, orenburg):
    response = client.get(URL, {"from": "atlantis"})
    assert response.status_code == 400
    assert "Unknown place" in response.content.decode()
