"""The 官员 group: may open the Wagtail admin and the coverage dashboard, and nothing else (the
dashboard is read-only)."""

from django.db import migrations

GROUP_NAME = "官员"


def create_officials_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; this one needs ours now
    # (wagtailadmin's access_admin is created by its own first migration).
    app_config = apps.get_app_config("reach")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(
            content_type__app_label="reach", codename="view_coverage_dashboard"
        ),
    )


def remove_officials_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reach", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_officials_group, remove_officials_group)]
