"""Steps data migrations share.

Migrations call these through small functions of their own, so what a migration
did stays readable in it; keep each step's behaviour stable once a migration uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def relabel_content_types(
    apps: Any, schema_editor: Any, *, models: Iterable[str], old: str, new: str
) -> None:
    """Move the content types of `models` from app label `old` to `new`.

    Content types carry the permissions granted to groups and users and the admin's
    history: moving them, not making new ones, is what keeps every grant when a
    model moves to another app (its table staying put).
    """
    db = schema_editor.connection.alias
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(db)
    for model in models:
        source = content_types.filter(app_label=old, model=model).first()
        if source is None:
            continue
        target = content_types.filter(app_label=new, model=model).first()
        if target is None:
            content_types.filter(pk=source.pk).update(app_label=new)
        else:
            _fold(apps, db, source, target)


def _fold(apps: Any, db: str, source: Any, target: Any) -> None:
    # Undoing a move takes one `migrate` run per app, and each run's post_migrate
    # creates content types (with permissions nobody holds) for the models its end
    # state has put back: the label moved to may already be taken. That one gets
    # the grants and the admin's log entries; the old one goes.
    permissions = apps.get_model("auth", "Permission").objects.using(db)
    for permission in permissions.filter(content_type=source):
        twin = permissions.filter(
            content_type=target, codename=permission.codename
        ).first()
        if twin is None:
            permission.content_type = target
            permission.save(update_fields=["content_type"])
            continue
        twin.group_set.add(*permission.group_set.all())
        twin.user_set.add(*permission.user_set.all())
        permission.delete()
    log_entries = apps.get_model("admin", "LogEntry").objects.using(db)
    log_entries.filter(content_type=source).update(content_type=target)
    source.delete()
