from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionConfig(AppConfig):
    name = "distribution"
    verbose_name = _("一键分发")
    default_auto_field = "django.db.models.BigAutoField"
