"""Make access rules append-only in the database: a change is a new rule.

How, and what each database refuses: exitwatch.lib.append_only.
"""

from django.db import migrations

from exitwatch.lib.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [append_only("access_crossingaccessrule", "access rules")]
