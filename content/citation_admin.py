"""引用的法条已变更 in the admin: the pages a statute import flagged, each with the cited
article's old and new text side by side (the changed characters marked), and the editor's two
ways to settle a flag: confirm that the page may keep citing the article, or edit the page and
publish a revision (content.citing settles it then). Declared as a ModelViewSet; flags are only
ever written by imports, so nobody adds, edits or deletes one here."""

from difflib import SequenceMatcher

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton

from content.citing import confirm
from content.models import CitationChange
from content.permissions import ReadOnlyPermissionPolicy


def _html(text):
    """Escaped text with its line breaks kept."""
    return mark_safe(escape(text).replace("\n", "<br>"))  # noqa: S308 (escaped first)


def marked_texts(old, new):
    """(old, new) as HTML with what was taken out of the old text in <del> and what the new text
    added in <ins>, compared character by character (a Chinese word is not a space-separated
    token), each line break kept."""
    old_parts, new_parts = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            old_parts.append(_html(old[i1:i2]))
            new_parts.append(_html(new[j1:j2]))
            continue
        if i2 > i1:
            old_parts.append(format_html("<del>{}</del>", _html(old[i1:i2])))
        if j2 > j1:
            new_parts.append(format_html("<ins>{}</ins>", _html(new[j1:j2])))
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))  # noqa: S308


def texts_of(flag):
    """The old and new text of a flag as the listing and the inspect view show them."""
    if flag.kind == CitationChange.Kind.CHANGED:
        return marked_texts(flag.old_text, flag.new_text)
    if flag.kind == CitationChange.Kind.REMOVED:
        return _html(flag.old_text), _("（该条已不在法律法规库中）")
    # The law left force; the article reads as before.
    return _html(flag.old_text), _html(flag.new_text)


def settlement(flag):
    """待核对, or how the flag was settled and by whom."""
    if flag.is_open:
        return _("待核对")
    if flag.resolved_by is None:
        return flag.get_resolution_display()
    who = flag.resolved_by.get_full_name() or flag.resolved_by.get_username()
    return f"{flag.get_resolution_display()}（{who}）"


class CitationChangeFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"),
        choices=[("open", gettext_lazy("待核对")), ("settled", gettext_lazy("已处理"))],
        method="filter_state",
        empty_label=gettext_lazy("全部"),
    )

    class Meta:
        model = CitationChange
        fields = ["state", "kind", "statute"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(resolved_at__isnull=(value == "open"))


class CitationChangeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page", "statute", "resolved_by")


class CitationChangeInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        flag = super().get_object(queryset)
        flag.old_html, flag.new_html = texts_of(flag)
        return flag

    def get_page_subtitle(self):
        return str(self.object)

    @cached_property
    def header_more_buttons(self):
        return []

    @cached_property
    def header_buttons(self):
        buttons = []
        user = self.request.user
        if self.object.is_open and may_confirm(user, self.object, self.permission_policy):
            buttons.append(
                HeaderButton(
                    _("已核对，引用不变"),
                    url=reverse("citation_changes:confirm", args=[self.object.pk]),
                    icon_name="check",
                )
            )
        if self.object.page.permissions_for_user(user).can_edit():
            buttons.append(
                HeaderButton(
                    _("修改页面的引用"),
                    url=reverse("wagtailadmin_pages:edit", args=[self.object.page_id]),
                    icon_name="edit",
                )
            )
        return buttons


def may_confirm(user, flag, policy):
    """The confirm permission (编辑, 审核), and the right to edit that page."""
    return policy.user_has_permission(user, "confirm") and (
        flag.page.permissions_for_user(user).can_edit()
    )


class CitationChangeConfirmView(CitationChangeInspectView):
    """GET asks the editor to confirm having read the new text; POST records it (audit log) and
    takes the notice off the page."""

    page_title = gettext_lazy("确认引用无需修改")
    any_permission_required = None
    permission_required = "confirm"

    def dispatch(self, request, *args, **kwargs):
        if not may_confirm(request.user, self.object, self.permission_policy):
            raise PermissionDenied
        if not self.object.is_open:
            return redirect("citation_changes:inspect", self.object.pk)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def header_buttons(self):
        return []

    def post(self, request, pk):
        confirm(self.object, request.user)
        messages.success(
            request,
            _("已确认：“%(page)s”仍引用%(article)s，读者不再看到变更提示。")
            % {"page": self.object.page.title, "article": self.object.article_label},
        )
        return redirect("citation_changes:index")


class CitationChangeViewSet(ModelViewSet):
    model = CitationChange
    name = "citation_changes"
    icon = "warning"
    menu_label = gettext_lazy("引用的法条已变更")
    permission_policy = ReadOnlyPermissionPolicy(CitationChange)
    index_view_class = CitationChangeIndexView
    inspect_view_class = CitationChangeInspectView
    inspect_view_enabled = True
    inspect_template_name = "content/admin/citation_change_inspect.html"
    inspect_view_fields = [
        "page",
        "statute",
        "article_label",
        "kind",
        "detected_at",
        "resolution",
        "resolved_by",
        "resolved_at",
    ]
    copy_view_enabled = False
    # The add and edit views exist in every ModelViewSet but the policy refuses them to all.
    form_fields = []
    filterset_class = CitationChangeFilterSet
    # Open flags first, the newest on top.
    ordering = [F("resolved_at").desc(nulls_first=True), "-detected_at", "-pk"]
    list_per_page = 30
    list_display = [
        "page",  # the page's title, linked to the flag's own view
        Column(
            "article",
            label=gettext_lazy("引用的法条"),
            accessor=lambda flag: format_html("《{}》{}", flag.statute.name, flag.article_label),
        ),
        Column("kind", label=gettext_lazy("变化"), accessor="get_kind_display"),
        Column("old_text", label=gettext_lazy("原条文"), accessor=lambda flag: texts_of(flag)[0]),
        Column("new_text", label=gettext_lazy("新条文"), accessor=lambda flag: texts_of(flag)[1]),
        DateColumn("detected_at", label=gettext_lazy("发现时间")),
        Column("state", label=gettext_lazy("状态"), accessor=settlement),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("confirm/<int:pk>/", self.confirm_view, name="confirm"),
        ]

    @property
    def confirm_view(self):
        return self.construct_view(
            CitationChangeConfirmView,
            **self.get_inspect_view_kwargs(
                template_name="content/admin/citation_change_confirm.html"
            ),
        )
