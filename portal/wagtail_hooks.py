"""The admin's own glue: a local help page in Chinese instead of Wagtail's editor guide on the
internet (the portal runs on an intranet), and a help menu that links nowhere outside."""

from urllib.parse import urlsplit

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem, SubmenuMenuItem

from portal.admin_views import HelpView


@hooks.register("register_admin_urls")
def register_help_url():
    return [path("help/", HelpView.as_view(), name="portal_help")]


def leaves_the_site(item):
    return bool(urlsplit(getattr(item, "url", "") or "").netloc)


@hooks.register("construct_help_menu")
def local_help_only(request, menu_items):
    """Wagtail's 'What's new' and 'Editor Guide' lead to its website: replaced by our page."""
    menu_items[:] = [item for item in menu_items if not leaves_the_site(item)]
    menu_items.append(
        MenuItem(_("编辑帮助"), reverse("portal_help"), name="portal-help", icon_name="help")
    )


@hooks.register("construct_main_menu")
def settings_menu_without_version(request, menu_items):
    """Wagtail's 设置 menu ends with "Wagtail v7.x" in English: the same menu without it."""
    for index, item in enumerate(menu_items):
        if item.name == "settings" and isinstance(item, SubmenuMenuItem):
            menu_items[index] = SubmenuMenuItem(
                item.label, item.menu, name=item.name, icon_name=item.icon_name, order=item.order
            )
