from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("普法内容")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from content.citing import settle_on_publish

        page_published.connect(settle_on_publish, dispatch_uid="content.settle_citation_changes")
