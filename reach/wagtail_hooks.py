"""Reach's place in Wagtail: the hook that counts article and video views as they are served
(``content`` knows nothing of it), the officials' dashboard in the admin menu, and the admin
screens for official scopes, channel reports and the officials' weekly reports."""

from django.db.models import Sum
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from content.models import ArticlePage, VideoPage
from distribution.history import FIGURES_HOOK
from reach import measures
from reach.counting import record_view
from reach.models import OfficialScope, ReportedRead, is_demo_install
from reach.scope import DASHBOARD_PERMISSION
from reach.views import CoverageDashboardView
from reach.weekly_admin import COVERAGE_MENU_HOOK, WeeklyReportViewSet


@hooks.register("before_serve_page")
def count_page_view(page, request, serve_args, serve_kwargs):
    """Count the load as the page is rendered, and give the page the load's id: its beacon
    sends it back, so this load is not counted a second time (base.html, beacon.js)."""
    if isinstance(page, ArticlePage | VideoPage):
        request.reach_load = record_view(request, page.pk, request.GET.get("ch"))


class CoverageMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(DASHBOARD_PERMISSION)


@hooks.register("register_admin_urls")
def register_dashboard_url():
    return [
        path("coverage/", CoverageDashboardView.as_view(), name="reach_dashboard"),
    ]


@hooks.register("register_admin_menu_item")
def register_coverage_menu():
    """覆盖看板: the dashboard and the weekly reports (each item shown to officials only)."""
    return SubmenuMenuItem(
        _("覆盖看板"), Menu(register_hook_name=COVERAGE_MENU_HOOK), icon_name="site", order=250
    )


@hooks.register(COVERAGE_MENU_HOOK)
def register_dashboard_menu_item():
    return CoverageMenuItem(
        _("看板与地图"), reverse("reach_dashboard"), icon_name="site", order=100
    )


class OfficialScopeViewSet(ModelViewSet):
    model = OfficialScope
    icon = "user"
    menu_label = _("官员辖区")
    add_to_settings_menu = True
    list_display = ["user", "region"]
    form_fields = ["user", "region"]
    search_fields = ["user__username", "user__first_name"]


class ReportedReadViewSet(ModelViewSet):
    """Channel reports as received; read here, changed only by the channel re-sending them."""

    model = ReportedRead
    icon = "list-ul"
    menu_label = _("渠道上报")
    add_to_reports_menu = True
    list_display = ["channel", "page", "date", "reads", "updated_at"]
    list_filter = ["date"]
    form_fields = ["reads"]
    inspect_view_enabled = True
    ordering = ["-date", "channel"]


register_hook = hooks.register("register_admin_viewset")
register_hook(lambda: OfficialScopeViewSet("official_scopes"))
register_hook(lambda: ReportedReadViewSet("reported_reads"))
register_hook(WeeklyReportViewSet)


@hooks.register(FIGURES_HOOK)
def channel_reported_reads(channel, page_ids):
    """上报阅读量 beside each item in a channel's history: the sum of what the channel reported
    for it; an item it never reported on is unknown (None), not zero."""
    rows = (
        ReportedRead.objects.filter(channel=channel, page_id__in=page_ids)
        .values("page_id")
        .annotate(reads=Sum("reads"))
    )
    demo = is_demo_install()
    values = {}
    for row in rows:
        label = f"{row['reads']:,}"
        values[row["page_id"]] = f"{label}（{_('演示数据')}）" if demo else label
    return measures.label("reported_reads"), values
