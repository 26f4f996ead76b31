from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Model permissions the editors' group needs to distribute and watch deliveries; officials get
# none of them (they see delivery figures on the reach dashboard instead).
EDITOR_PERMISSIONS = ["add_distribution", "view_distribution", "view_channel"]


class DistributionConfig(AppConfig):
    name = "distribution"
    verbose_name = _("一键分发")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_delete
        from wagtail.signals import page_published, page_unpublished

        from content.models import ArticlePage, VideoPage
        from content.statutes import statutes_imported
        from distribution import signals

        page_unpublished.connect(signals.retract_unpublished_page)
        page_published.connect(signals.distribute_published_page)
        page_published.connect(signals.send_corrections_on_republish)
        statutes_imported.connect(
            signals.correct_items_citing, dispatch_uid="distribution.statutes_imported"
        )
        for model in (ArticlePage, VideoPage):
            pre_delete.connect(signals.retract_deleted_page, sender=model)
        post_migrate.connect(grant_editor_permissions, sender=self)


def grant_editor_permissions(sender, using="default", **kwargs):
    """Run after every migrate, so the grant holds whichever app created the group first."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from content.roles import EDITORS

    # Our receiver may run before auth's own one has created this app's permissions.
    create_permissions(sender, verbosity=0, using=using)
    group = Group.objects.using(using).filter(name=EDITORS).first()
    if group is None:
        return
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="distribution", codename__in=EDITOR_PERMISSIONS
    )
    group.permissions.add(*permissions)
