from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GeodataConfig(AppConfig):
    name = "geodata"
    verbose_name = _("湖北行政区划")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from geodata.regions import load_regions_after_migrate

        # Regions are reference data every install needs, before any demo data.
        post_migrate.connect(load_regions_after_migrate, sender=self)
