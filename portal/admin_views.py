"""Admin screens of the portal itself: the editors' help page."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class HelpView(WagtailAdminTemplateMixin, TemplateView):
    """编辑帮助: how to write, cite, upload, get reviewed and distribute, on this intranet."""

    template_name = "portal/admin/help.html"
    page_title = _("编辑帮助")
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return []
