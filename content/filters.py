"""The public listings' query strings, validated as forms: bad input is a page we don't have."""

from django import forms
from django.utils.translation import gettext_lazy as _

CONTENT_KINDS = {"article": _("文章"), "video": _("视频")}


class TopicFilterForm(forms.Form):
    """A topic listing's content type, tag and page number. Anything else (an unknown type, a
    page that is not a positive number, a NUL character in a tag) is answered with a 404."""

    type = forms.ChoiceField(choices=[("", _("全部")), *CONTENT_KINDS.items()], required=False)
    tag = forms.CharField(max_length=100, required=False)
    page = forms.IntegerField(min_value=1, max_value=10**6, required=False)
