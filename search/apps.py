from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("中文检索")
    default_auto_field = "django.db.models.BigAutoField"
    # A new web worker asks this of itself before taking requests (portal.warmup): an empty
    # search, which runs the API's whole path and is not logged.
    warm_up_paths = ("/api/search/?q=",)

    def ready(self):
        from search import signals

        signals.connect()

    def warm_up(self):
        """Before a web worker takes requests (portal.warmup)."""
        from search import service

        service.warm_up()
