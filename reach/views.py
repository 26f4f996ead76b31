"""Pages of reach: the officials' coverage dashboard (Wagtail admin), the public 普法地图 and the
channel operators' page. Views parse, call reach's functions, and render."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from reach import coverage, dashboard, export, headlines, measures, rollup
from reach.channels import channel_report
from reach.forms import CoverageForm
from reach.models import is_demo_install
from reach.scope import NoScope, official_scope, scope_name

PUBLIC_MEASURES = (
    "reported_reads_per_10k",
    "views_per_10k",
    "visitors_per_10k",
    "reported_reads",
    "views",
    "visitors",
)


def map_for(flt, measure, caption, as_of):
    # The map builder loads Folium, pandas and mapclassify: only pages that draw a map pay.
    from geodata.maps import build_map, map_parts

    return map_parts(
        build_map(
            dashboard.map_figures(flt, as_of),
            **dashboard.map_measure(measure),
            caption=caption,
            # A prefecture's official, or a drill-down asked for, opens on its counties.
            initial_prefecture=flt.scope_adcode,
            labels=measures.map_labels(),
        )
    )


class CoverageDashboardView(WagtailAdminTemplateMixin, TemplateView):
    """Read-only: nothing on it changes anything."""

    template_name = "reach/dashboard.html"
    page_title = gettext_lazy("覆盖看板")
    header_icon = "site"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        try:
            self.scope = official_scope(request.user)
        except NoScope as closed:
            return self.render_to_response(
                self.get_context_data(no_scope=str(closed), demo=is_demo_install()), status=403
            )
        form = CoverageForm(CoverageForm.with_defaults(request.GET, self.scope), scope=self.scope)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        flt = form.coverage_filter()
        measure = form.cleaned_data["measure"]
        rows = dashboard.ranking(coverage.coverage(flt), measure)
        as_of = rollup.as_of()
        demo = is_demo_install()
        if request.GET.get("format") == "xlsx":
            return self.excel(flt, form, rows, as_of, demo)
        context = self.get_context_data(
            form=form,
            flt=flt,
            measure=measure,
            rows=rows,
            columns=dashboard.COLUMNS,
            table_caption=f"{coverage.LEVELS[flt.level]} · {dashboard.period_caption(flt)}",
            map=map_for(flt, measure, dashboard.period_caption(flt), as_of),
            trend=dashboard.trend_chart(flt, measure),
            headlines=headlines.headlines(flt),
            period_caption=dashboard.period_caption(flt),
            previous_caption=dashboard.period_caption(headlines.previous_period(flt)),
            region_movers=headlines.region_movers(flt),
            item_movers=headlines.item_movers(flt),
            unknown_comparison=headlines.UNKNOWN_COMPARISON,
            reconciliation=dashboard.reconciliation(flt, as_of) if flt.item_id else None,
            as_of=as_of,
            demo=demo,
            demo_notice=measures.DEMO_NOTICE,
            separate_notice=measures.SEPARATE_NOTICE,
            county_absolute=flt.level == "county" and measure.endswith("_per_10k"),
            scope_name=scope_name(self.scope),
            export_query=self.export_query(request),
            failed_days=rollup.failed_days(),
        )
        return self.render_to_response(context)

    def export_query(self, request):
        query = request.GET.copy()
        query["format"] = "xlsx"
        return query.urlencode()

    def excel(self, flt, form, rows, as_of, demo):
        lines = export.heading_lines(scope_name(self.scope), flt, form, as_of, demo)
        content = export.ranking_workbook(rows, _("湖北网络普法覆盖排名"), lines)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"coverage-{flt.level}-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def public_map(request):
    """The 普法地图 of the whole province: totals for all content, no per-channel detail."""
    measure = request.GET.get("measure") or PUBLIC_MEASURES[0]
    if measure not in PUBLIC_MEASURES:
        return render(
            request,
            "reach/public_map.html",
            {"error": _("未知的指标"), "measures": measures.choices(PUBLIC_MEASURES)},
            status=400,
        )
    flt = coverage.make_filter()
    result = coverage.coverage(flt)
    as_of = rollup.as_of()
    return render(
        request,
        "reach/public_map.html",
        {
            "map": map_for(flt, measure, dashboard.period_caption(flt), as_of),
            "measure": measure,
            "measures": measures.choices(PUBLIC_MEASURES),
            "rows": dashboard.ranking(result, measure)[: len(result.regions)],
            "columns": dashboard.COLUMNS,
            "flt": flt,
            "as_of": as_of,
            "demo": is_demo_install(),
            "demo_notice": measures.DEMO_NOTICE,
            "separate_notice": measures.SEPARATE_NOTICE,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def channel_page(request):
    """Channel operators paste their reporting token to see their own deliveries and figures.
    The token travels in the form body, never in the address."""
    context = {}
    if request.method == "POST":
        from distribution.models import channel_for_token

        channel = channel_for_token(request.POST.get("token", "").strip())
        if channel is None:
            context["error"] = _("令牌无效或渠道已停用")
            return render(request, "reach/channel.html", context, status=403)
        flt = coverage.make_filter()
        context["report"] = channel_report(channel, flt.start, flt.end)
    return render(request, "reach/channel.html", context)
