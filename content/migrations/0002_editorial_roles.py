"""Groups 编辑 / 审核 / 官员, their permissions, and the 法律审核 workflow on the whole site.

A data migration, so every install has the same editorial roles whether or not the demo is loaded.
Page permissions sit on the tree root (like Wagtail's own defaults), so they survive replacing the
welcome page with the portal's HomePage and cover every page under it. Editors cannot publish:
their pages go live when a legal reviewer approves them in the workflow, and Wagtail publishes an
approved revision as the approving reviewer, so reviewers hold publish_page.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from content.roles import EDITORS, OFFICIALS, REVIEW_TASK, REVIEW_WORKFLOW, REVIEWERS

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    REVIEWERS: ["change_page", "publish_page", "lock_page", "unlock_page"],
    OFFICIALS: [],
}
COLLECTION_PERMISSIONS = {
    EDITORS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
        # wagtailmedia has no choose permission: change lets editors pick anyone's video.
        ("wagtailmedia", "add_media"),
        ("wagtailmedia", "change_media"),
    ],
    REVIEWERS: [
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "choose_document"),
    ],
    OFFICIALS: [],
}
MODEL_PERMISSIONS = {
    EDITORS: [("wagtailadmin", "access_admin"), ("content", "view_statute")],
    REVIEWERS: [("wagtailadmin", "access_admin"), ("content", "view_statute")],
    OFFICIALS: [("wagtailadmin", "access_admin")],
}
# Wagtail's English default groups and workflow, which these roles replace on a fresh install.
WAGTAIL_DEFAULT_GROUPS = ["Editors", "Moderators"]


def ensure_permissions(apps):
    """Default model permissions are made after migrating; this migration needs them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    groups = {}
    for name in (EDITORS, REVIEWERS, OFFICIALS):
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(*(permission(a, c) for a, c in MODEL_PERMISSIONS[name]))
        if root_page is not None:
            for codename in PAGE_PERMISSIONS[name]:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission("wagtailcore", codename)
                )
        if root_collection is not None:
            for app_label, codename in COLLECTION_PERMISSIONS[name]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=permission(app_label, codename),
                )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=REVIEW_TASK, defaults={"content_type": task_type, "active": True}
    )
    task.groups.add(groups[REVIEWERS])
    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    if root_page is not None:
        previous = WorkflowPage.objects.filter(page=root_page).first()
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
        if previous and previous.workflow_id != workflow.pk:
            old = previous.workflow
            if not WorkflowPage.objects.filter(workflow=old).exists():
                Workflow.objects.filter(pk=old.pk).update(active=False)
                GroupApprovalTask.objects.filter(workflow_tasks__workflow=old).update(active=False)

    # Only while nobody belongs to them: on an existing site they may be in use.
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow.objects.filter(name=REVIEW_WORKFLOW).delete()
    GroupApprovalTask.objects.filter(name=REVIEW_TASK).delete()
    Group.objects.filter(name__in=[EDITORS, REVIEWERS, OFFICIALS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailmedia", "0005_alter_media_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles, elidable=False)]
