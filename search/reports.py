"""The editors' report of what citizens asked and did not find: questions with no result, and
questions whose results nobody opened, over a chosen period, most asked first."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView

from search.models import SearchQueryStat

DEFAULT_DAYS = 30
NO_RESULT, NO_CLICK, ALL = "no_result", "no_click", "all"


class UnansweredFilterSet(WagtailFilterSet):
    day = DateFromToRangeFilter(label=_("日期"), widget=DateRangePickerWidget)
    kind = ChoiceFilter(
        label=_("问题"),
        empty_label=_("无结果或无人点击"),
        choices=[(NO_RESULT, _("无结果")), (NO_CLICK, _("有结果但无人点击")), (ALL, _("全部"))],
        method="filter_kind",
    )

    class Meta:
        model = SearchQueryStat
        fields = []

    def filter_kind(self, queryset, name, value):
        return queryset  # applied after aggregation, in the view


def unanswered(queryset, kind):
    """Per query over the rows: searches, searches with no result, clicks, last day asked."""
    totals = queryset.values("query").annotate(
        searches_sum=Sum("searches"),
        no_result_sum=Sum("no_result"),
        clicks_sum=Sum("clicks"),
        last_day=Max("day"),
    )
    if kind == NO_RESULT:
        return totals.filter(no_result_sum__gt=0)
    if kind == NO_CLICK:
        return totals.filter(no_result_sum__lt=F("searches_sum"), clicks_sum=0)
    if kind == ALL:
        return totals
    return totals.filter(Q(no_result_sum__gt=0) | Q(clicks_sum=0))


class UnansweredQuestionsView(ReportView):
    page_title = _("检索未解答的问题")
    header_icon = "search"
    is_searchable = True
    search_fields = ["query"]
    filterset_class = UnansweredFilterSet
    default_ordering = "-searches_sum"
    index_url_name = "search_reports:unanswered"
    index_results_url_name = "search_reports:unanswered_results"
    columns = [
        Column("query", label=_("检索词"), sort_key="query"),
        NumberColumn("searches_sum", label=_("检索次数"), sort_key="searches_sum"),
        NumberColumn("no_result_sum", label=_("无结果次数"), sort_key="no_result_sum"),
        NumberColumn("clicks_sum", label=_("点击结果次数"), sort_key="clicks_sum"),
        Column("last_day", label=_("最近检索日期"), sort_key="last_day"),
    ]
    export_headings = {
        "query": _("检索词"),
        "searches_sum": _("检索次数"),
        "no_result_sum": _("无结果次数"),
        "clicks_sum": _("点击结果次数"),
        "last_day": _("最近检索日期"),
    }
    list_export = ["query", "searches_sum", "no_result_sum", "clicks_sum", "last_day"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("search.view_searchquerystat"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return SearchQueryStat.objects.all()

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        kwargs["queryset"] = self.get_base_queryset()
        return kwargs

    def get_queryset(self):
        """Rows of the chosen days (the last 30 by default) and search, then one line per
        question, then the order asked for (ordering needs the sums, so it comes last)."""
        rows = self.search_queryset(self.filter_queryset(self.get_base_queryset()))
        filters = getattr(self, "filters", None)
        data = filters.form.cleaned_data if filters is not None and filters.is_valid() else {}
        if not data.get("day"):
            since = timezone.localdate() - datetime.timedelta(days=DEFAULT_DAYS)
            rows = rows.filter(day__gte=since)
        return self.order_queryset(unanswered(rows, data.get("kind") or ""))

    def get_filename(self):
        return f"unanswered-questions-{timezone.localdate():%Y-%m-%d}"
