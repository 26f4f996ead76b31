"""Editors (编辑) keep the citizen-word thesaurus and read the report of unanswered questions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "编辑"
CODENAMES = [
    "add_thesaurusentry",
    "change_thesaurusentry",
    "delete_thesaurusentry",
    "view_thesaurusentry",
    "view_searchquerystat",
]


def editors_and_permissions(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="search", codename__in=CODENAMES
    )
    return Group.objects.filter(name=EDITORS), permissions


def grant(apps, schema_editor):
    app_config = apps.get_app_config("search")
    app_config.models_module = True  # default permissions are made after migrating: make them now
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    groups, permissions = editors_and_permissions(apps)
    for group in groups:
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    groups, permissions = editors_and_permissions(apps)
    for group in groups:
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_thesaurus_and_query_log"),
        ("content", "0002_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
