"""Admin registrations for the content app.

Pages whose cited article an import changed are listed under 普法内容 → 引用的法条已变更
(content.citation_admin), announced on the admin's home page, and told in each page's history.

The statute library is read-only in the admin: it is imported from the data file
(`manage.py import_statutes`), and a hand edit would make the portal quote a text that is not the
law. Editors list, filter and inspect laws, and choose them in the citation block."""

import django_filters
from django import forms
from django.db.models import Q
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.log_actions import LogFormatter
from wagtail.models import WorkflowState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.admin_views import citation_preview
from content.citation_admin import CitationChangeViewSet
from content.models import ArticlePage, CitationChange, Statute, VideoPage
from content.permissions import ReadOnlyPermissionPolicy
from content.statutes import choices_of

# Statute library -------------------------------------------------------------------------------


class StatuteFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("时效性"), choices=Statute.Status.choices)
    level = django_filters.ChoiceFilter(label=_("效力级别"), choices=lambda: choices_of("level"))
    department = django_filters.ChoiceFilter(
        label=_("法律部门"), choices=lambda: choices_of("department")
    )

    class Meta:
        model = Statute
        fields = ["status", "level", "department"]


class StatuteChooserFilterForm(BaseFilterForm):
    """Finds a law by any part of its name. Wagtail's database search keeps a run of Chinese
    characters as one token, so 民法 would not find 民法典; a substring match does."""

    q = forms.CharField(
        label=_("法规名称"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("输入名称的一部分，如：个人信息")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        term = (self.cleaned_data.get("q") or "").strip()
        if term:
            objects = objects.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
            self.is_searching = True
            self.search_query = term
        return objects


class StatuteChooserMixin:
    filter_form_class = StatuteChooserFilterForm

    def get_object_list(self):
        return Statute.objects.in_force_first()

    @property
    def columns(self):
        return [
            *super().columns,
            Column("status", label=_("时效性"), accessor="get_status_display"),
            Column("department", label=_("法律部门")),
        ]


class StatuteChooseView(StatuteChooserMixin, ChooseView):
    pass


class StatuteChooseResultsView(StatuteChooserMixin, ChooseResultsView):
    pass


class StatuteChooserViewSet(SnippetChooserViewSet):
    choose_view_class = StatuteChooseView
    choose_results_view_class = StatuteChooseResultsView


class StatuteViewSet(SnippetViewSet):
    model = Statute
    icon = "doc-full"
    menu_label = _("法律法规库")
    menu_order = 250
    add_to_admin_menu = True
    permission_policy = ReadOnlyPermissionPolicy(Statute)
    chooser_viewset_class = StatuteChooserViewSet
    list_display = ["name", "status", "level", "department", "publish_date", "effective_date"]
    filterset_class = StatuteFilterSet
    # A substring search through the ORM, for the reason given on StatuteChooserFilterForm.
    search_fields = ["name", "short_name", "law_id"]
    search_backend_name = None
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "short_name",
        "law_id",
        "status",
        "current_version",
        "level",
        "issuing_body",
        "department",
        "doc_type",
        "publish_date",
        "effective_date",
        "version_date",
    ]
    inspect_template_name = "content/statute_inspect.html"

    def get_queryset(self, request):
        return Statute.objects.in_force_first()


register_snippet(StatuteViewSet)


# Articles and videos ---------------------------------------------------------------------------


class PageMenuItem(MenuItem):
    """Shown only to those who may work on pages: an official would follow it to 没有权限."""

    def is_shown(self, request):
        return user_has_any_page_permission(request.user)


class EditorsPageListingViewSet(PageListingViewSet):
    @cached_property
    def menu_item_class(self):
        return PageMenuItem


class ArticlePageListingViewSet(EditorsPageListingViewSet):
    """All articles in one flat list, whatever their topic: what editors look for first."""

    model = ArticlePage
    icon = "doc-full-inverse"
    menu_label = _("普法文章")
    add_to_admin_menu = False
    name = "articles"


class VideoPageListingViewSet(EditorsPageListingViewSet):
    model = VideoPage
    icon = "media"
    menu_label = _("普法短视频")
    add_to_admin_menu = False
    name = "videos"


class ContentViewSetGroup(ViewSetGroup):
    menu_label = _("普法内容")
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = (ArticlePageListingViewSet, VideoPageListingViewSet, CitationChangeViewSet)


@hooks.register("register_admin_viewset")
def register_content_listings():
    return ContentViewSetGroup()


# The citation block's preview in the page editor -----------------------------------------------


@hooks.register("register_admin_urls")
def register_citation_preview_url():
    return [path("laws/cite/", citation_preview, name="statute_citation_preview")]


@hooks.register("insert_editor_js")
def citation_preview_js():
    return format_html(
        '<script src="{}" data-preview-url="{}" defer></script>',
        static("content/citation_preview.js"),
        reverse("statute_citation_preview"),
    )


@hooks.register("insert_editor_css")
def citation_preview_css():
    return format_html('<link rel="stylesheet" href="{}">', static("content/citation_preview.css"))


# The reviewer's comment where the editor works ----------------------------------------------


def review_comment(page):
    """The comment of the review that asked for changes on this page, while it waits for them:
    (task state, comment) or None."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or not task_state.comment:
        return None
    return task_state


@hooks.register("before_edit_page")
def show_review_comment(request, page):
    """A request for changes shows the editor the reviewer's words at the top of the edit
    screen, not only "需要修改" with the comment buried in the history."""
    if request.method != "GET":
        return
    task_state = review_comment(page)
    if task_state is None:
        return
    messages.warning(
        request,
        _("审核意见（%(reviewer)s，%(when)s，%(task)s）：%(comment)s")
        % {
            "reviewer": get_user_display_name(task_state.finished_by) or _("审核人"),
            "when": timezone.localtime(task_state.finished_at).strftime("%Y-%m-%d %H:%M"),
            "task": task_state.task.name,
            "comment": task_state.comment,
        },
    )


# Pages whose cited law changed (引用的法条已变更) ---------------------------------------------


class CitationChangesPanel(Component):
    """On the admin's home page, while flags wait: the pages to check."""

    name = "citation_changes"
    order = 110
    template_name = "content/admin/citation_changes_panel.html"

    def get_context_data(self, parent_context):
        flags = CitationChange.objects.open().select_related("page", "statute")
        return {
            "flags": flags[:10],
            "count": flags.count(),
            "list_url": reverse("citation_changes:index") + "?state=open",
        }


@hooks.register("construct_homepage_panels")
def add_citation_changes_panel(request, panels):
    if request.user.has_perm("content.view_citationchange") and (
        CitationChange.objects.open().exists()
    ):
        panels.append(CitationChangesPanel())


@hooks.register("insert_global_admin_css")
def citation_changes_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("content/citation_changes_admin.css")
    )


class CitationLogFormatter(LogFormatter):
    """A page's history line for a flag: which article, and what happened to it."""

    template = ""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return self.template % {
            "law": data.get("law", ""),
            "article": data.get("article", ""),
            "kind": data.get("kind", ""),
        }


@hooks.register("register_log_actions")
def register_citation_log_actions(actions):
    for action, label, template in (
        (
            "content.citation_flagged",
            _("引用的法条已变更"),
            _("法律法规库更新：本页引用的《%(law)s》%(article)s%(kind)s，读者会看到变更提示"),
        ),
        (
            "content.citation_confirmed",
            _("确认引用无需修改"),
            _("已核对本页引用的《%(law)s》%(article)s，引用不变，变更提示已取消"),
        ),
        (
            "content.citation_updated",
            _("引用已随页面更新"),
            _("重新发布的版本引用了《%(law)s》%(article)s现在的条文（或不再引用），变更提示已取消"),
        ),
    ):
        actions.register_action(action)(
            type("Formatter", (CitationLogFormatter,), {"label": label, "template": template})
        )
