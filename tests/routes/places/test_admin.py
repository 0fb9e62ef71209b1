"""Places in the admin: added and corrected through the write path, never deleted."""

import pytest
from django.urls import reverse

from routes.places.models import Place
from tests.factories import AirportFactory, PlaceFactory

pytestmark = pytest.mark.django_db

ADD = {
    "slug": "moscow",
    "name_en": "Moscow",
    "name_ru": "Москва",
    "region_en": "Moscow",
    "region_ru": "Москва",
    "region_code": "RU-MOW",
    "kind": "regional-capital",
    "latitude": "55.754047",
    "longitude": "37.620405",
    "airports": '["DME", "SVO"]',
    "source_url": "https://github.com/hflabs/city/blob/ae661bf/city.csv?plain=1#L511",
    "source_date": "2021-10-11",
    "note": "",
}


def test_staff_add_a_place_through_the_write_path(client, superuser):
    AirportFactory(iata="SVO")
    AirportFactory(iata="DME", latitude=55.4088, longitude=37.9063)
    client.force_login(superuser)
    response = client.post(reverse("admin:places_place_add"), ADD)
    assert response.status_code == 302, response.context["adminform"].form.errors
    moscow = Place.objects.get(slug="moscow")
    assert moscow.airports == ["SVO", "DME"]  # nearest first, whatever the order
    assert moscow.latitude == 55.754


def test_the_form_says_what_the_write_path_refuses(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:places_place_add"), {**ADD, "region_code": "UA-14"}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "ISO 3166-2" in errors["region_code"][0]
    assert not Place.objects.exists()


def test_a_place_is_corrected_but_never_deleted(client, superuser):
    place = PlaceFactory()
    client.force_login(superuser)
    url = reverse("admin:places_place_change", args=[place.pk])
    form = {**ADD, **{k: getattr(place, k) for k in ("name_en", "name_ru")}}
    form.update(
        region_en=place.region_en,
        region_ru=place.region_ru,
        region_code=place.region_code,
        latitude="69.0077",
        longitude="33.0686",
        airports="[]",
        note="Ice-free port.",
    )
    response = client.post(url, form)
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.slug, place.note) == ("murmansk", "Ice-free port.")
    delete = client.post(reverse("admin:places_place_delete", args=[place.pk]))
    assert delete.status_code == 403
    assert Place.objects.filter(pk=place.pk).exists()
