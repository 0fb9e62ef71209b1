"""The "Crossing editors" group: record crossing status updates, browse the rest.

Editors cannot delete crossings, edit their reference data or touch history.
"""

from django.db import migrations

GROUP = "Crossing editors"
PERMISSIONS = [
    ("routes", "view_bordercrossing"),
    ("routes", "update_status"),
    ("routes", "view_crossingupdate"),
    ("routes", "view_exitroute"),
    ("routes", "view_airport"),
    ("routes", "view_flightreport"),
    ("advisories", "view_advisorysource"),
    ("advisories", "view_advisory"),
    ("advisories", "view_advisoryrevision"),
]


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure ours exist.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0002_history_append_only"),
        ("advisories", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_group, remove_group)]
