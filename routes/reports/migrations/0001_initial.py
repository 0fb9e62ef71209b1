"""Traveller reports and trusted reporters' tokens move from the routes app into
reports, keeping their tables (routes_travellerreport,
routes_trustedreportertoken), their rows and their content types (with the
moderation permission)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from exitwatch.lib.migrations import relabel_content_types

LABEL = "reports"
MODELS = ("travellerreport", "trustedreportertoken")


def forwards(apps, schema_editor):
    # Permissions and admin history follow the models to their new app.
    relabel_content_types(apps, schema_editor, models=MODELS, old="routes", new=LABEL)


def backwards(apps, schema_editor):
    relabel_content_types(apps, schema_editor, models=MODELS, old=LABEL, new="routes")


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0007_report_moderators_notified"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of the app changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TrustedReporterToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "label",
                            models.CharField(
                                help_text="Who or what this token is for, e.g. “Volunteers at Upper Lars”. It appears in the public audit trail: avoid full names.",
                                max_length=100,
                                verbose_name="label",
                            ),
                        ),
                        (
                            "token_hash",
                            models.CharField(
                                editable=False, max_length=64, unique=True
                            ),
                        ),
                        (
                            "prefix",
                            models.CharField(
                                editable=False,
                                help_text="The first characters of the token, to tell tokens apart.",
                                max_length=16,
                                verbose_name="starts with",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now,
                                verbose_name="issued at",
                            ),
                        ),
                        (
                            "revoked_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="revoked at"
                            ),
                        ),
                        (
                            "last_used_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last used"
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="issued by",
                            ),
                        ),
                        (
                            "revoked_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="revoked by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "trusted reporter token",
                        "verbose_name_plural": "trusted reporter tokens",
                        "db_table": "routes_trustedreportertoken",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="TravellerReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "direction",
                            models.CharField(
                                choices=[
                                    ("leaving", "Leaving Russia"),
                                    ("entering", "Entering Russia"),
                                ],
                                default="leaving",
                                max_length=8,
                                verbose_name="direction",
                            ),
                        ),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("car", "Car"),
                                    ("bus", "Bus"),
                                    ("truck", "Truck"),
                                    ("pedestrian", "On foot"),
                                    ("bicycle", "Bicycle"),
                                ],
                                max_length=16,
                                verbose_name="mode",
                            ),
                        ),
                        (
                            "status_seen",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("restricted", "Restricted"),
                                    ("closed", "Closed"),
                                ],
                                max_length=16,
                                verbose_name="status seen",
                            ),
                        ),
                        (
                            "wait_minutes",
                            models.PositiveIntegerField(
                                blank=True,
                                null=True,
                                verbose_name="waited so far (min)",
                            ),
                        ),
                        (
                            "queue_position",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="queue position"
                            ),
                        ),
                        (
                            "observed_at",
                            models.DateTimeField(verbose_name="observed at"),
                        ),
                        (
                            "submitted_at",
                            models.DateTimeField(verbose_name="submitted at"),
                        ),
                        (
                            "note",
                            models.TextField(
                                blank=True,
                                help_text="Phone numbers, e-mails, plates removed.",
                                verbose_name="note",
                            ),
                        ),
                        (
                            "language",
                            models.CharField(
                                default="en", max_length=8, verbose_name="language"
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("approved", "Approved"),
                                    ("rejected", "Rejected"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="state",
                            ),
                        ),
                        (
                            "moderated_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="moderated at"
                            ),
                        ),
                        (
                            "reject_reason",
                            models.TextField(
                                blank=True, verbose_name="reason for rejection"
                            ),
                        ),
                        (
                            "verified",
                            models.BooleanField(
                                default=False,
                                help_text="Seen or confirmed by staff.",
                                verbose_name="verified",
                            ),
                        ),
                        (
                            "verified_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="verified at"
                            ),
                        ),
                        (
                            "moderators_notified_at",
                            models.DateTimeField(
                                blank=True,
                                null=True,
                                verbose_name="moderators notified at",
                            ),
                        ),
                        (
                            "crossing",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="traveller_reports",
                                to="routes.bordercrossing",
                                verbose_name="crossing",
                            ),
                        ),
                        (
                            "crossing_update",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="routes.crossingupdate",
                                verbose_name="crossing update",
                            ),
                        ),
                        (
                            "moderated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="moderated by",
                            ),
                        ),
                        (
                            "verified_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="verified by",
                            ),
                        ),
                        (
                            "published_with",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="reports",
                                to="reports.trustedreportertoken",
                                verbose_name="published with token",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "traveller report",
                        "verbose_name_plural": "traveller reports",
                        "db_table": "routes_travellerreport",
                        "ordering": ["submitted_at", "id"],
                        "permissions": [
                            (
                                "moderate_travellerreport",
                                "Can approve, reject and verify traveller reports",
                            )
                        ],
                        "indexes": [
                            models.Index(
                                fields=["state", "submitted_at", "id"],
                                name="routes_trav_state_3b8ead_idx",
                            ),
                            models.Index(
                                fields=["crossing", "state", "observed_at"],
                                name="routes_trav_crossin_4b6983_idx",
                            ),
                            models.Index(
                                fields=["submitted_at"],
                                name="routes_trav_submitt_013c8c_idx",
                            ),
                            models.Index(
                                fields=["moderators_notified_at"],
                                name="routes_report_notified",
                            ),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("wait_minutes__isnull", True),
                                    models.Q(
                                        ("wait_minutes__gte", 0),
                                        ("wait_minutes__lte", 10080),
                                    ),
                                    _connector="OR",
                                ),
                                name="routes_travellerreport_wait_minutes_range",
                                violation_error_message="Wait must be between 0 and 10080 minutes.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("queue_position__isnull", True),
                                    ("queue_position__lte", 100000),
                                    _connector="OR",
                                ),
                                name="routes_report_queue_position_range",
                                violation_error_message="Queue position is too large.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("direction__in", ["leaving", "entering"])
                                ),
                                name="routes_report_direction_valid",
                                violation_error_message="Unknown direction.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "mode__in",
                                        [
                                            "car",
                                            "bus",
                                            "truck",
                                            "pedestrian",
                                            "bicycle",
                                        ],
                                    )
                                ),
                                name="routes_report_mode_valid",
                                violation_error_message="Unknown mode.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "status_seen__in",
                                        ["open", "restricted", "closed"],
                                    )
                                ),
                                name="routes_report_status_valid",
                                violation_error_message="Unknown status.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("state__in", ["pending", "approved", "rejected"])
                                ),
                                name="routes_report_state_valid",
                                violation_error_message="Unknown state.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("wait_minutes__isnull", False),
                                    ("queue_position__isnull", False),
                                    ("status_seen", "closed"),
                                    _connector="OR",
                                ),
                                name="routes_report_has_a_figure",
                                violation_error_message="Give the time waited so far or your place in the queue.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("state", "rejected"), _negated=True),
                                    models.Q(("reject_reason", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="routes_report_rejection_has_reason",
                                violation_error_message="A rejection needs a reason.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("state", "pending"),
                                    ("moderated_at__isnull", False),
                                    _connector="OR",
                                ),
                                name="routes_report_moderation_time",
                                violation_error_message="A moderated report needs its time.",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
