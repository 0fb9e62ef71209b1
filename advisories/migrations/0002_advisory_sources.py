"""The four government feeds ExitWatch reads. Idempotent by key; reversing removes
only sources that hold no advisories."""

from django.db import migrations

SOURCES = [
    {
        "key": "us-state",
        "name_en": "US Department of State",
        "name_ru": "Государственный департамент США",
        "issuer": "US",
        "url": "https://travel.state.gov/_res/rss/TAsTWs.xml",
        "parser": "us_state",
    },
    {
        "key": "uk-fcdo",
        "name_en": "UK Foreign, Commonwealth & Development Office",
        "name_ru": "МИД Великобритании (FCDO)",
        "issuer": "GB",
        "url": "https://www.gov.uk/api/content/foreign-travel-advice",
        "parser": "uk_fcdo",
    },
    {
        "key": "ca-travel",
        "name_en": "Government of Canada",
        "name_ru": "Правительство Канады",
        "issuer": "CA",
        "url": "https://data.international.gc.ca/travel-voyage/index-alpha-eng.json",
        "parser": "canada",
    },
    {
        "key": "au-smartraveller",
        "name_en": "Australian Government (Smartraveller)",
        "name_ru": "Правительство Австралии (Smartraveller)",
        "issuer": "AU",
        "url": "https://www.smartraveller.gov.au/destinations-export",
        "parser": "australia",
    },
]


def create_sources(apps, schema_editor):
    AdvisorySource = apps.get_model("advisories", "AdvisorySource")
    for row in SOURCES:
        values = {k: v for k, v in row.items() if k != "key"}
        AdvisorySource.objects.get_or_create(
            key=row["key"], defaults={**values, "poll_interval_minutes": 30}
        )


def remove_sources(apps, schema_editor):
    AdvisorySource = apps.get_model("advisories", "AdvisorySource")
    AdvisorySource.objects.filter(
        key__in=[row["key"] for row in SOURCES], advisories__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("advisories", "0001_initial")]

    operations = [migrations.RunPython(create_sources, remove_sources)]
