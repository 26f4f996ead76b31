from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeodataConfig(AppConfig):
    name = "geodata"
    verbose_name = _("湖北行政区划")
    default_auto_field = "django.db.models.BigAutoField"
