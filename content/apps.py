from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("普法内容")
    default_auto_field = "django.db.models.BigAutoField"
