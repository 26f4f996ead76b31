"""Reviewers act through the 法律审核 workflow only: they approve or request changes on the pages
it puts in front of them (Wagtail's review task opens the editor for them), and an approved page
is published by the workflow itself (content.roles.publish_approved). So they hold no page
permission of their own to edit or publish: with those, a reviewer could change and publish a
page directly, with no second review. Lock and unlock stay, for the page under review."""

from django.db import migrations

from content.roles import REVIEWERS

TAKEN = ["change_page", "publish_page"]


def take_edit_and_publish(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name=REVIEWERS,
        permission__content_type__app_label="wagtailcore",
        permission__codename__in=TAKEN,
    ).delete()


def give_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root_page = Page.objects.filter(depth=1).first()
    group = Group.objects.filter(name=REVIEWERS).first()
    if root_page is None or group is None:
        return
    for codename in TAKEN:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root_page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0006_citation_changes")]

    operations = [migrations.RunPython(take_edit_and_publish, give_back, elidable=False)]
