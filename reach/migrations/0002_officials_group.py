"""The 官员 group may open the coverage dashboard, which is read-only. content's editorial roles
create the same group with admin access; whichever migration runs first creates it."""

from django.db import migrations

from content.roles import OFFICIALS as GROUP_NAME


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


def remove_dashboard_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="reach", codename="view_coverage_dashboard"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reach", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_officials_group, remove_dashboard_permission)]
