"""/advisories/: every government's advice, with the API's filters."""

import pytest

from tests.factories import AdvisoryFactory, AdvisorySourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def advisories(db):
    uk = AdvisorySourceFactory(
        key="uk-fcdo", name_en="UK Foreign Office", name_ru="МИД Великобритании",
        issuer="GB",
    )  # fmt: skip
    return [
        AdvisoryFactory(level=4, title="Russia - Level 4"),
        AdvisoryFactory(
            source=uk, target_country="GE", level=3, title="Georgia: see advice"
        ),
        AdvisoryFactory(source=uk, target_country="RU", level=4, title="UK on Russia"),
    ]


def titles(response):
    return [a.title for a in response.context["result"].page.object_list]


def test_advice_about_russia_comes_first(client, advisories):
    assert titles(client.get("/advisories/"))[-1] == "Georgia: see advice"


def test_it_filters_like_the_api(client, advisories):
    assert titles(client.get("/advisories/?issuer=GB&level=4")) == ["UK on Russia"]
    assert len(titles(client.get("/advisories/?target_country=ru"))) == 2


def test_bad_filters_are_a_400_naming_the_field(client, advisories):
    response = client.get("/advisories/?level=9&issuer=ZZ")
    assert response.status_code == 400
    assert set(response.context["result"].form.errors) == {"level", "issuer"}


def test_each_advice_shows_level_wording_link_and_dates(client, advisories):
    html = client.get("/advisories/").content.decode()
    assert 'class="level level-4"' in html
    assert "“Do Not Travel”" in html
    assert 'href="https://travel.state.gov/' in html
    assert "MSK</time>" in html


def test_the_page_is_in_russian(client, advisories):
    html = client.get(
        "/advisories/", headers={"accept-language": "ru"}
    ).content.decode()
    assert "МИД Великобритании" in html
    assert "Воздержитесь от поездок" in html
    assert "Россия" in html
