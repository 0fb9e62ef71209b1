"""Make entry rules append-only in the database: a change is a new rule.

How, and what each database refuses: exitwatch.lib.append_only.
"""

from django.db import migrations

from exitwatch.lib.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("entry", "0001_initial")]
    operations = [append_only("entry_entryrule", "entry rules")]
