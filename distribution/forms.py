"""The distribute form: when (now, at a chosen time, on publication) and to whom (the whole
province, or prefectures with their counties, single counties, channels)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from distribution.models import Channel
from geodata.models import Region


class RegionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, region):
        return region.name


class When:
    NOW = "now"
    AT = "at"
    ON_PUBLISH = "on_publish"


WHEN_LABELS = {
    When.NOW: _("立即分发"),
    When.AT: _("定时分发"),
    When.ON_PUBLISH: _("发布后分发"),
}


def when_choices(page):
    """A live page goes out now or later (on publication too when a new version is scheduled);
    a page not yet live only later: at a time, or as soon as it is published."""
    if page.live:
        options = [When.NOW, When.AT]
        if page.scheduled_revision:
            options.append(When.ON_PUBLISH)
    else:
        options = [When.ON_PUBLISH, When.AT]
    return [(option, WHEN_LABELS[option]) for option in options]


class DistributeForm(forms.Form):
    when = forms.ChoiceField(
        label=_("何时分发"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "invalid_choice": _(
                "这个时间选项不适用于这篇内容：未发布的内容只能发布后分发或定时分发，"
                "已发布且没有待发布新版本的内容不能选择发布后分发"
            )
        },
    )
    send_at = forms.DateTimeField(
        label=_("分发时间"),
        required=False,
        # The browser's own date-time picker: no script of ours, localised by the browser.
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "step": 1}, format="%Y-%m-%dT%H:%M:%S"
        ),
    )
    everywhere = forms.BooleanField(label=_("全省所有渠道"), required=False)
    prefectures = RegionChoiceField(
        label=_("市州（含下辖县市区）"),
        queryset=Region.objects.prefecture_level(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    counties = RegionChoiceField(
        label=_("县市区"),
        queryset=Region.objects.filter(level=Region.Level.COUNTY).select_related("parent"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channels = forms.ModelMultipleChoiceField(
        label=_("指定渠道"),
        queryset=Channel.objects.reachable().select_related("region"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resend = forms.BooleanField(
        label=_("重新发送"),
        required=False,
        help_text=_("默认跳过已收到这篇内容的渠道；勾选后向所选渠道再发送一次（新的消息 ID）"),
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        choices = when_choices(page)
        self.fields["when"].choices = choices
        self.fields["when"].initial = choices[0][0]

    def clean_when(self):
        # Left out (a script or an older form): the first option, as the form shows it.
        return self.cleaned_data.get("when") or self.fields["when"].initial

    def clean(self):
        data = super().clean()
        if data.get("when") == When.AT:
            send_at = data.get("send_at")
            if send_at is None:
                self.add_error("send_at", _("请填写定时分发的时间"))
            elif send_at <= timezone.now():
                self.add_error("send_at", _("定时分发的时间已过，请选择将来的时间"))
        if not (
            data.get("everywhere")
            or data.get("prefectures")
            or data.get("counties")
            or data.get("channels")
        ):
            raise forms.ValidationError(_("请至少选择一个地区或渠道"))
        return data

    def targets(self):
        data = self.cleaned_data
        return {
            "everywhere": bool(data.get("everywhere")),
            "regions": [*data.get("prefectures", []), *data.get("counties", [])],
            "channels": list(data.get("channels", [])),
            "resend": bool(data.get("resend")),
        }

    def timing(self):
        """``{"send_at": …, "on_publish": …}`` for a later distribution, or None for now."""
        when = self.cleaned_data["when"]
        if when == When.NOW:
            return None
        return {
            "send_at": self.cleaned_data["send_at"] if when == When.AT else None,
            "on_publish": when == When.ON_PUBLISH,
        }
