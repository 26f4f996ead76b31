"""每周报告 in the admin, under 覆盖看板: the weekly reports an official may see (the province's
official sees every one, a prefecture's official its own), newest first, each with its Excel
file and map picture to download. Declared as a ModelViewSet; only the clock's task writes
reports, so nobody adds, edits or deletes one here. The files are served by the download view
below to those who may see the report, never from the public media address."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet

from reach.models import WeeklyReport
from reach.scope import DashboardPermissionPolicy, official_scope, scope_name

# The address's name for each file (also its extension), and the report's field that holds it.
FILES = {"xlsx": "workbook", "png": "map_picture"}
COVERAGE_MENU_HOOK = "register_coverage_menu_item"


def visible_reports(user):
    """The made reports of the official's scope (PermissionDenied for anyone else)."""
    return WeeklyReport.objects.made().for_scope(official_scope(user)).select_related("scope")


def download_name(report, kind):
    """The name an official's browser saves a file under: what, where, which week."""
    what = _("覆盖周报") if kind == "xlsx" else _("覆盖地图")
    week = f"{report.week_start:%Y%m%d}-{report.week_end:%Y%m%d}"
    return f"湖北网络普法{what}-{scope_name(report.scope)}-{week}.{kind}"


def made_at(report):
    return timezone.localtime(report.created_at).strftime("%Y-%m-%d %H:%M")


def download_links(report):
    described = f"{report.week_label} {scope_name(report.scope)}"
    return format_html(
        '<a class="button button-small button-secondary" href="{}" aria-label="{}">{}</a> '
        '<a class="button button-small button-secondary" href="{}" aria-label="{}">{}</a>',
        reverse("weekly_reports:download", args=[report.pk, "xlsx"]),
        _("下载 %(report)s 的 Excel 报表") % {"report": described},
        _("Excel 报表"),
        reverse("weekly_reports:download", args=[report.pk, "png"]),
        _("下载 %(report)s 的地图图片") % {"report": described},
        _("地图图片"),
    )


class WeeklyReportIndexView(generic.IndexView):
    def get_base_queryset(self):
        return visible_reports(self.request.user)

    @cached_property
    def no_results_message(self):
        return _(
            "还没有周报。每周一上一周（周一至周日）的数字汇总完成后，系统会自动生成全省和"
            "各官员辖区的周报（Excel 报表和地图图片），之后可在这里下载。"
        )


class WeeklyReportDownloadView(PermissionCheckedMixin, View):
    """One file of a report the user may see, as an attachment named for its week and scope."""

    permission_required = "view"

    def get(self, request, pk, kind):
        if kind not in FILES:
            raise Http404
        report = get_object_or_404(visible_reports(request.user), pk=pk)
        return FileResponse(
            getattr(report, FILES[kind]).open("rb"),
            as_attachment=True,
            filename=download_name(report, kind),
        )


class WeeklyReportViewSet(ModelViewSet):
    model = WeeklyReport
    name = "weekly_reports"
    icon = "doc-full"
    menu_label = gettext_lazy("每周报告")
    menu_order = 200
    menu_hook = COVERAGE_MENU_HOOK
    permission_policy = DashboardPermissionPolicy(WeeklyReport)
    index_view_class = WeeklyReportIndexView
    copy_view_enabled = False
    # The add and edit views exist in every ModelViewSet but the policy refuses them to all.
    form_fields = []
    list_per_page = 30
    list_display = [
        Column("week", label=gettext_lazy("周次"), accessor="week_label"),
        Column("period", label=gettext_lazy("日期"), accessor="period"),
        Column(
            "scope",
            label=gettext_lazy("范围"),
            accessor=lambda report: scope_name(report.scope),
        ),
        Column("created_at", label=gettext_lazy("生成时间"), accessor=made_at),
        Column("files", label=gettext_lazy("下载"), accessor=download_links),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/<str:kind>/", self.download_view, name="download"),
        ]

    @property
    def download_view(self):
        return self.construct_view(
            WeeklyReportDownloadView, permission_policy=self.permission_policy
        )
