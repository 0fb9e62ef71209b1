"""Flights and traveller reports now live in their own apps (routes.flights,
routes.reports): the routes app forgets their models; the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0007_report_moderators_notified"),
        ("flights", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of the app changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="flightreport",
                    name="destination",
                ),
                migrations.RemoveField(
                    model_name="flightreport",
                    name="origin",
                ),
                migrations.DeleteModel(
                    name="FlightProvider",
                ),
                migrations.RemoveField(
                    model_name="travellerreport",
                    name="crossing",
                ),
                migrations.RemoveField(
                    model_name="travellerreport",
                    name="crossing_update",
                ),
                migrations.RemoveField(
                    model_name="travellerreport",
                    name="moderated_by",
                ),
                migrations.RemoveField(
                    model_name="travellerreport",
                    name="published_with",
                ),
                migrations.RemoveField(
                    model_name="travellerreport",
                    name="verified_by",
                ),
                migrations.RemoveField(
                    model_name="trustedreportertoken",
                    name="created_by",
                ),
                migrations.RemoveField(
                    model_name="trustedreportertoken",
                    name="revoked_by",
                ),
                migrations.DeleteModel(
                    name="Airport",
                ),
                migrations.DeleteModel(
                    name="FlightReport",
                ),
                migrations.DeleteModel(
                    name="TravellerReport",
                ),
                migrations.DeleteModel(
                    name="TrustedReporterToken",
                ),
            ],
            database_operations=[],
        ),
    ]
