"""The 分发到… form: pick prefectures (with their counties), single counties, or channels."""

from django import forms
from django.utils.translation import gettext_lazy as _

from distribution.models import Channel
from geodata.models import Region


class RegionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, region):
        return region.name


class DistributeForm(forms.Form):
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

    def clean(self):
        data = super().clean()
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
