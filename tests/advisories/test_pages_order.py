"""/advisories/ lists countries by their name in the page's language."""

import pytest

from tests.factories import AdvisoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def advice_on_four_countries(db):
    for code in ("KZ", "FI", "DE", "AM"):
        AdvisoryFactory(target_country=code, level=2, title=f"About {code}")


def countries_listed(response):
    return [a.target_country.code for a in response.context["result"].page.object_list]


def test_english_page_sorts_by_english_name(client, advice_on_four_countries):
    response = client.get("/advisories/", headers={"accept-language": "en"})
    # Armenia, Finland, Germany, Kazakhstan (by code it would be AM DE FI KZ).
    assert countries_listed(response) == ["AM", "FI", "DE", "KZ"]


def test_russian_page_sorts_by_russian_name(client, advice_on_four_countries):
    response = client.get("/advisories/", headers={"accept-language": "ru"})
    # Армения, Германия, Казахстан, Финляндия.
    assert countries_listed(response) == ["AM", "DE", "KZ", "FI"]
