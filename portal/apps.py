from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from content.citing import citation_notices_changed
        from portal import admin_display, frontend_cache

        admin_display.register()
        admin_display.label_site_columns()
        admin_display.name_page_search_results()
        page_published.connect(frontend_cache.on_page_changed, dispatch_uid="portal.purge.pub")
        page_unpublished.connect(frontend_cache.on_page_changed, dispatch_uid="portal.purge.unpub")
        post_page_move.connect(frontend_cache.on_page_moved, dispatch_uid="portal.purge.move")
        citation_notices_changed.connect(
            frontend_cache.on_citation_notices_changed, dispatch_uid="portal.purge.citations"
        )
