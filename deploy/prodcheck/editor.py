"""The newsroom during the load, through nginx and the Wagtail admin as people use it: an editor
writes an article and submits it for 法律审核, a reviewer approves it (it goes live, and its topic
and the home page list it at once), the editor clicks 一键分发全省; then the editor revises it, the
reviewer approves again, and a reader who opens it or its topic right after the approval must see
the revision, never the page cache's old copy.

Runs in the check's own process with Django set up (production settings), which it uses only to
build the admin's form data and to look up ids a person would read off the screen."""

import re
import time
import uuid

import httpx
from django.conf import settings
from django.db import connections
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.models import ArticlePage, StatuteArticle, TopicIndexPage

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
READER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# The check's own look at the page is not a reader's view: crawlers are not counted.
CHECKER_AGENT = "prodcheck-discovery-bot/1.0"


class FlowFailed(Exception):
    pass


class Person:
    """A browser session of one member of staff, from an address of its own."""

    def __init__(self, base, username, address):
        self.base = base
        self.client = httpx.Client(
            base_url=base,
            timeout=60,
            transport=httpx.HTTPTransport(local_address=address),
            headers={"User-Agent": READER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9"},
        )
        page = self.client.get("/admin/login/")
        response = self.post(
            "/admin/login/",
            page,
            {"username": username, "password": settings.DEMO_PASSWORD, "next": "/admin/"},
        )
        if response.status_code != 302 or response.headers["location"] != "/admin/":
            raise FlowFailed(f"{username} could not log in ({response.status_code})")

    def post(self, path, form_page, data):
        token = CSRF.search(form_page.text)
        if token is None:
            raise FlowFailed(f"no CSRF token on {form_page.url}")
        return self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": token[1]},
            headers={"Referer": str(form_page.url), "Origin": self.base},
        )

    def close(self):
        self.client.close()


def article_form(title, summary, slug, citation):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": summary,
            "cover_image": "",
            "cover_alt": "",
            "body": streamfield(
                [
                    ("paragraph", rich_text(f"<p>{summary}</p>")),
                    (
                        "statute_citation",
                        {
                            "statute": citation.statute.name,
                            "article": str(citation.number),
                            "note": "",
                        },
                    ),
                ]
            ),
            "date": time.strftime("%Y-%m-%d"),
            "source": "湖北网络普法",
            "author": "编辑部",
            "tags": "生产检查",
            "comments": inline_formset([]),
        }
    )


def approve(reviewer, page_id):
    state = WorkflowState.objects.get(
        base_content_type__model="page",
        object_id=str(page_id),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(page_id, "approve", state.current_task_state.pk),
    )
    form = reviewer.client.get(reverse("wagtailadmin_pages:edit", args=(page_id,)))
    response = reviewer.post(url, form, {"comment": "引用准确，同意发布。"})
    if response.status_code not in (200, 302):
        raise FlowFailed(f"approval answered {response.status_code}")


def expect_fresh(reader, paths, text, what):
    """Each page must show ``text`` to the next reader at once: the page cache was purged.
    Returns the first page's answer."""
    answers = [reader.get(path) for path in paths]
    for path, answer in zip(paths, answers, strict=True):
        if text not in answer.text:
            raise FlowFailed(
                f"stale page after publish: {path} did not show {what} "
                f"(X-Cache {answer.headers.get('X-Cache')})"
            )
    return answers[0]


def publish_and_distribute(base, log, distributed):
    """Returns (page id, the page cache's answer before the revision, seconds from approval to
    a reader seeing the revision); sets the event ``distributed`` once 一键分发全省 was clicked."""
    topic = TopicIndexPage.objects.live().order_by("path").first()
    citation = (
        StatuteArticle.objects.select_related("statute")
        .filter(statute__short_name="民法典", number=1254)
        .first()
    )
    if citation is None:
        raise FlowFailed("民法典第1254条 is not in the statute library")
    marker = uuid.uuid4().hex[:8]
    slug = f"prod-check-{marker}"
    title = f"高空抛物，谁来担责（{marker}）"
    editor = Person(base, "editor", "127.0.250.2")
    reviewer = Person(base, "reviewer", "127.0.250.3")
    reader = httpx.Client(
        base_url=base,
        transport=httpx.HTTPTransport(local_address="127.0.250.4"),
        headers={"User-Agent": CHECKER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9"},
    )
    try:
        # Readers have the lists in the page cache before the article appears in them.
        lists = [topic.url, "/"]
        for path in lists * 2:
            reader.get(path)
        add = reverse("wagtailadmin_pages:add", args=("content", "articlepage", topic.pk))
        data = article_form(title, "小区里的高空抛物，伤人之后谁来担责？", slug, citation)
        response = editor.post(add, editor.client.get(add), {**data, "action-submit": "提交"})
        if response.status_code != 302:
            raise FlowFailed(f"submitting the article answered {response.status_code}")
        page = ArticlePage.objects.get(slug=slug)
        log(f"editor submitted 《{title}》 (page {page.pk}) for review")
        approve(reviewer, page.pk)
        page.refresh_from_db()
        if not page.live:
            raise FlowFailed("the approved article is not live")
        log("reviewer approved it: live")
        expect_fresh(reader, lists, title, "the new article")

        distribute = reverse("distribution_distribute", args=(page.pk,))
        response = editor.post(distribute, editor.client.get(distribute), {"everywhere": "on"})
        if response.status_code != 302:
            raise FlowFailed(f"一键分发全省 answered {response.status_code}")
        log("editor distributed it to every channel (一键分发全省)")
        distributed.set()

        # Readers fill the page cache, then the revision goes through review again.
        path = page.url
        for _ in range(3):
            reader.get(path)
        cached = reader.get(path).headers.get("X-Cache")
        revision = f"修订：明确物业服务企业的安全保障义务（{marker}）"
        edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        data = article_form(title, revision, slug, citation)
        response = editor.post(edit, editor.client.get(edit), {**data, "action-submit": "提交"})
        if response.status_code != 302:
            raise FlowFailed(f"submitting the revision answered {response.status_code}")
        approve(reviewer, page.pk)
        approved = time.monotonic()
        seen = expect_fresh(reader, [path, topic.url], revision, "the revision")
        log(
            f"revision approved; the next reader saw it at once (cache before: {cached}, "
            f"after: {seen.headers.get('X-Cache')})"
        )
        return page.pk, cached, time.monotonic() - approved
    finally:
        editor.close()
        reviewer.close()
        reader.close()
        connections.close_all()  # this thread's own connection
