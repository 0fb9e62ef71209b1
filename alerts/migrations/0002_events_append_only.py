"""Make events append-only in the database: an event, once made, is what was said.

How, and what each database refuses: exitwatch.lib.append_only.
"""

from django.db import migrations

from exitwatch.lib.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]
    operations = [append_only("alerts_event", "events")]
