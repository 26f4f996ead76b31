"""Reach's place in Wagtail: the hook that counts article and video views as they are served
(``content`` knows nothing of it), the officials' dashboard in the admin menu, and the admin
screens for official scopes and channel reports."""

from wagtail import hooks

from content.models import ArticlePage, VideoPage
from reach.counting import record_view


@hooks.register("before_serve_page")
def count_page_view(page, request, serve_args, serve_kwargs):
    if isinstance(page, ArticlePage | VideoPage):
        record_view(request, page.pk, request.GET.get("ch"))
