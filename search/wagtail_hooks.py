"""The search app in the admin: the citizen-word thesaurus (a snippet editors keep), and the
report of questions citizens asked that found nothing or were followed by no click."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import ThesaurusEntry
from search.reports import UnansweredQuestionsView


class ThesaurusEntryViewSet(SnippetViewSet):
    model = ThesaurusEntry
    icon = "list-ul"
    menu_label = _("检索同义词")
    menu_name = "search-thesaurus"
    add_to_admin_menu = False
    list_display = ["spoken", "legal", "source", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["spoken", "legal", "source"]
    ordering = ["-updated_at"]
    inspect_view_enabled = True


register_snippet(ThesaurusEntryViewSet)


report_urls = (
    [
        path("", UnansweredQuestionsView.as_view(), name="unanswered"),
        path(
            "results/",
            UnansweredQuestionsView.as_view(results_only=True),
            name="unanswered_results",
        ),
    ],
    "search_reports",
)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/unanswered-questions/", include(report_urls))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("search.view_searchquerystat")


@hooks.register("register_reports_menu_item")
def register_unanswered_report():
    return ReportMenuItem(
        _("检索未解答的问题"),
        reverse("search_reports:unanswered"),
        name="unanswered-questions",
        icon_name="search",
        order=1400,
    )
