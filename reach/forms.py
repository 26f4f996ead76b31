"""The filter form of the officials' dashboard and the public map: one place that checks what a
user asks for and says what is wrong in Chinese."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from content.models import ArticlePage, TopicIndexPage, VideoPage
from geodata.models import Region
from reach import coverage, measures


class CoverageForm(forms.Form):
    level = forms.ChoiceField(
        label=_("层级"), choices=list(coverage.LEVELS.items()), required=False
    )
    region = forms.TypedChoiceField(
        label=_("市州"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("选择一个市州查看其县市区"),
    )
    item = forms.TypedChoiceField(label=_("内容"), coerce=int, required=False, empty_value=None)
    topic = forms.TypedChoiceField(label=_("栏目"), coerce=int, required=False, empty_value=None)
    start = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    measure = forms.ChoiceField(
        label=_("指标"), choices=measures.choices(measures.RANKED), required=False
    )

    def __init__(self, data=None, *, scope=None, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        prefectures = Region.objects.prefecture_level()
        if scope is not None:
            prefectures = prefectures.filter(pk=scope.pk)
        self.fields["region"].choices = [("", _("全部"))] + [
            (r.adcode, r.name) for r in prefectures
        ]
        items = Page.objects.type(ArticlePage, VideoPage).live().order_by("-first_published_at")
        self.fields["item"].choices = [("", _("全部内容"))] + [(p.pk, p.title) for p in items[:500]]
        self.fields["topic"].choices = [("", _("全部栏目"))] + [
            (t.pk, t.title) for t in TopicIndexPage.objects.live().order_by("path")
        ]
        self.fields["item"].error_messages["invalid_choice"] = _("找不到该内容")
        self.fields["region"].error_messages["invalid_choice"] = _(
            "未知的行政区划代码或不在您的辖区内"
        )
        self.fields["measure"].error_messages["invalid_choice"] = _("未知的指标")
        self.fields["level"].error_messages["invalid_choice"] = _("未知的层级")

    @staticmethod
    def with_defaults(query, scope=None):
        """The query with what is shown when nothing is chosen filled in, so the form shows
        the figures' real period and measure: the last 30 days; reads per 10,000 residents for
        the prefectures, absolute reads for counties (whose population is unknown)."""
        data = query.copy()
        end = timezone.localdate()
        data.setdefault("end", end.isoformat())
        data.setdefault(
            "start", (end - datetime.timedelta(days=coverage.DEFAULT_DAYS - 1)).isoformat()
        )
        counties = data.get("level") == "county" or (
            data.get("level") != "prefecture" and (scope is not None or data.get("region"))
        )
        data.setdefault("measure", "reported_reads" if counties else "reported_reads_per_10k")
        return data

    def described_filters(self):
        """The filters as the export states them, in words."""
        data = self.cleaned_data
        item = dict(self.fields["item"].choices).get(data.get("item"))
        topic = dict(self.fields["topic"].choices).get(data.get("topic"))
        return [
            _("内容：%(item)s") % {"item": f"《{item}》" if data.get("item") else _("全部内容")},
            _("栏目：%(topic)s") % {"topic": topic if data.get("topic") else _("全部栏目")},
            _("指标（排序）：%(measure)s") % {"measure": measures.label(data["measure"])},
        ]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - datetime.timedelta(days=coverage.DEFAULT_DAYS - 1)
        if "start" in self.errors or "end" in self.errors:
            return data
        if start > end:
            raise forms.ValidationError(_("开始日期不能晚于结束日期"))
        if (end - start).days + 1 > coverage.MAX_RANGE_DAYS:
            raise forms.ValidationError(_("日期范围不能超过三年"))
        data["start"], data["end"] = start, end
        data["measure"] = data.get("measure") or "reported_reads_per_10k"
        region = data.get("region")
        if self.scope is not None:
            region = self.scope.pk
        # A prefecture chosen (or an official's own) shows its counties; else the 17 units.
        data["level"] = data.get("level") or ("county" if region else "prefecture")
        data["region"] = region
        return data

    def coverage_filter(self):
        data = self.cleaned_data
        return coverage.make_filter(
            level=data["level"],
            start=data["start"],
            end=data["end"],
            item=data.get("item"),
            topic=data.get("topic"),
            scope=data.get("region"),
        )
