"""Pages point feed readers at the feeds (<link rel="alternate">)."""

import pytest

pytestmark = pytest.mark.django_db

CHANGES = (
    '<link rel="alternate" type="application/atom+xml" '
    'title="ExitWatch: border crossing changes" href="/feeds/changes.atom">'
)
ADVISORIES = (
    '<link rel="alternate" type="application/atom+xml" '
    'title="ExitWatch: travel advisories" href="/feeds/advisories.atom">'
)


@pytest.mark.parametrize("path", ["/", "/advisories/", "/crossings/upper-lars/"])
def test_every_page_links_the_changes_and_advisory_feeds(client, crossing, path):
    html = client.get(path).content.decode()
    assert CHANGES in html and ADVISORIES in html


def test_the_lite_page_links_the_changes_feed(client, crossing):
    html = client.get("/lite/").content.decode()
    head = html.split("</head>")[0]
    assert CHANGES in head


def test_a_russian_page_links_the_russian_feeds(client, crossing):
    html = client.get("/lite/?lang=ru").content.decode()
    assert 'href="/feeds/changes.atom?lang=ru"' in html
    page = client.get("/", headers={"Accept-Language": "ru"}).content.decode()
    assert 'href="/feeds/changes.atom?lang=ru"' in page
    assert 'href="/feeds/advisories.atom?lang=ru"' in page


def test_the_crossing_page_offers_its_feed_in_the_page_too(client, crossing):
    html = client.get("/crossings/upper-lars/").content.decode()
    assert 'href="/feeds/crossings/upper-lars.atom" type="application/atom+xml"' in html
