"""Public pages of the statute library (法律法规库): the list of laws, one law, one article. The
views parse input and render; the work is in content.statutes."""

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.amendments import amendments_by_article
from content.blocks import find_article
from content.citations import ArticleNumberError, parse_article
from content.citing import citing_pages
from content.models import Statute
from content.statute_structure import table_of_contents
from content.statutes import choices_of, filter_statutes, neighbours

STATUTES_PER_PAGE = 30


class StatuteFilterForm(forms.Form):
    """The filters of /laws/. Laws in force are the default; repealed and historical texts only
    when asked for, so citizens are not sent to a law that no longer applies."""

    STATUS_CHOICES = [
        ("", gettext_lazy("现行有效")),
        ("repealed", gettext_lazy("已废止")),
        ("historical", gettext_lazy("历史版本")),
        ("all", gettext_lazy("全部")),
    ]

    CHOICE_FIELDS = ("department", "level", "issuing_body")

    q = forms.CharField(label=gettext_lazy("法规名称"), required=False, max_length=50)
    department = forms.ChoiceField(label=gettext_lazy("法律部门"), required=False)
    level = forms.ChoiceField(label=gettext_lazy("效力级别"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("时效性"), required=False, choices=STATUS_CHOICES)
    issuing_body = forms.ChoiceField(label=gettext_lazy("制定机关"), required=False)
    published_from = forms.DateField(
        label=gettext_lazy("公布日期自"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_to = forms.DateField(
        label=gettext_lazy("公布日期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.CHOICE_FIELDS:
            self.fields[name].choices = [("", _("全部")), *choices_of(name)]

    def clean(self):
        data = super().clean()
        start, end = data.get("published_from"), data.get("published_to")
        if start and end and start > end:
            raise forms.ValidationError(_("公布日期的起点晚于终点。"))
        return data

    def statutes(self):
        return filter_statutes(**self.cleaned_data)


def statute_index(request):
    form = StatuteFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "content/statute_index.html", {"form": form}, status=400)
    paginator = Paginator(form.statutes(), STATUTES_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404(_("没有这一页")) from exc
    departments = (
        Statute.objects.in_force()
        .exclude(department="")
        .values("department")
        .annotate(count=Count("pk"))
        .order_by("-count", "department")
    )
    return render(
        request,
        "content/statute_index.html",
        {
            "form": form,
            "filters": form.cleaned_data,
            "page_obj": page_obj,
            "statutes": page_obj.object_list,
            "departments": departments,
            "in_force_count": Statute.objects.in_force().count(),
        },
    )


def statute_detail(request, law_id):
    statute = get_object_or_404(Statute.objects.select_related("current_version"), law_id=law_id)
    articles = list(statute.articles.all())
    return render(
        request,
        "content/statute_detail.html",
        {
            "statute": statute,
            "articles": articles,
            "toc": table_of_contents(articles),
            "older_versions": statute.older_versions.order_by("-version_date"),
        },
    )


def statute_article(request, law_id, key):
    statute = get_object_or_404(Statute.objects.select_related("current_version"), law_id=law_id)
    try:
        ref = parse_article(key)
    except ArticleNumberError as exc:
        raise Http404(_("没有这一条")) from exc
    article = find_article(statute, ref)
    if article is None:
        raise Http404(_("没有这一条"))
    article.statute = statute
    previous, following = neighbours(article)
    return render(
        request,
        "content/statute_article.html",
        {
            "article": article,
            "statute": statute,
            "previous": previous,
            "following": following,
            "citing_pages": citing_pages(article),
            "amendments": amendments_by_article(statute).get(article.key, []),
        },
    )
