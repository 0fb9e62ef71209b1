"""factory_boy factories shared by the tests."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from routes.flights.models import Airport, FlightReport
from routes.models import BorderCrossing, CrossingKind, ExitRoute


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    is_staff = True


class EditorFactory(StaffFactory):
    """A member of the "Crossing editors" group created by migration."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def editors_group(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.groups.add(Group.objects.get(name="Crossing editors"))


class CrossingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BorderCrossing
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"crossing-{n}")
    name_en = factory.Sequence(lambda n: f"Checkpoint {n}")
    name_ru = factory.Sequence(lambda n: f"Пункт {n}")
    neighbour_name_en = "Other side"
    neighbour_name_ru = "Другая сторона"
    country = "GE"
    region_en = "North Ossetia–Alania"
    region_ru = "Северная Осетия — Алания"
    latitude = 42.7417
    longitude = 44.6310
    kind = CrossingKind.ROAD
    allows_car = True
    allows_bus = True
    source = "https://en.wikipedia.org/wiki/Upper_Lars"


class AirportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Airport
        django_get_or_create = ("iata",)

    iata = "SVO"
    icao = "UUEE"
    name_en = "Sheremetyevo"
    name_ru = "Шереметьево"
    city_en = "Moscow"
    city_ru = "Москва"
    country = "RU"
    latitude = 55.9726
    longitude = 37.4146
    source = "https://en.wikipedia.org/wiki/Sheremetyevo_International_Airport"


class ExitRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitRoute

    slug = factory.Sequence(lambda n: f"route-{n}")
    name_en = "Moscow → Upper Lars → Tbilisi"
    name_ru = "Москва → Верхний Ларс → Тбилиси"
    origin_en = "Moscow"
    origin_ru = "Москва"
    crossing = factory.SubFactory(CrossingFactory)
    destination_en = "Tbilisi"
    destination_ru = "Тбилиси"
    destination_country = "GE"
    distance_km = 1900
    path = [[37.6173, 55.7558], [44.6310, 42.7417], [44.7930, 41.7151]]
    source = "https://en.wikipedia.org/wiki/Georgian_Military_Road"


class FlightReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlightReport

    origin = factory.SubFactory(AirportFactory)
    destination = factory.SubFactory(
        AirportFactory,
        iata="IST",
        icao="LTFM",
        name_en="Istanbul",
        name_ru="Стамбул",
        city_en="Istanbul",
        city_ru="Стамбул",
        country="TR",
        latitude=41.2753,
        longitude=28.7519,
    )
    departure_date = factory.LazyFunction(lambda: timezone.localdate())
    availability = "available"
    seats = 4
    price = 45000
    currency = "RUB"
    observed_at = factory.LazyFunction(timezone.now)
    source = "volunteers"
    source_ref = factory.Sequence(lambda n: f"row-{n}")


# ---------------------------------------------------------------------------
# Advisories: sources as the data migration creates them, and their advisories.
# ---------------------------------------------------------------------------


class AdvisorySourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advisories.AdvisorySource"
        django_get_or_create = ("key",)

    key = "us-state"
    name_en = "US Department of State"
    name_ru = "Государственный департамент США"
    issuer = "US"
    url = "https://travel.state.gov/_res/rss/TAsTWs.xml"
    parser = "us_state"


class AdvisoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advisories.Advisory"

    source = factory.SubFactory(AdvisorySourceFactory)
    target_country = "RU"
    level = 4
    level_text = "Do Not Travel"
    title = "Russia - Level 4: Do Not Travel"
    summary = "Do not travel to Russia."
    url = "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/russia-travel-advisory.html"
    published_at = factory.LazyFunction(timezone.now)
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    fetched_at = factory.LazyFunction(timezone.now)
    changed_at = factory.LazyFunction(timezone.now)


FLIGHT_DESTINATIONS = {"IST": "TR", "EVN": "AM", "DXB": "AE", "BEG": "RS", "TBS": "GE"}


def flight_airports(*codes: str) -> None:
    """Sheremetyevo and the given destinations (IATA codes), for flight tests."""
    AirportFactory(iata="SVO")
    for code in codes:
        AirportFactory(
            iata=code,
            icao="",
            name_en=code,
            name_ru=code,
            city_en=code,
            city_ru=code,
            country=FLIGHT_DESTINATIONS[code],
            latitude=41.0,
            longitude=29.0,
        )


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "places.Place"
        django_get_or_create = ("slug",)

    slug = "murmansk"
    name_en = "Murmansk"
    name_ru = "Мурманск"
    region_en = "Murmansk Oblast"
    region_ru = "Мурманская область"
    region_code = "RU-MUR"
    latitude = 69.0077
    longitude = 33.0686
    kind = "regional-capital"
    airports = factory.LazyFunction(list)
    source_url = "https://github.com/hflabs/city/blob/ae661bffe572880472249097c9b29c42b09650ea/city.csv?plain=1#L595"
    source_date = datetime.date(2021, 10, 11)
