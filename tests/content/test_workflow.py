"""The editorial roles from the data migration, driven through the Wagtail admin: an editor
writes and submits, a legal reviewer approves and the page goes live, an official cannot edit."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtailmedia.widgets import AdminVideoChooser

from content.models import ArticlePage, VideoPage
from content.roles import EDITORS, OFFICIALS, REVIEW_WORKFLOW, REVIEWERS
from tests.factories import (
    ArticlePageFactory,
    StatuteArticleFactory,
    StatuteFactory,
    UserFactory,
    VideoMediaFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def logged_in(client, username, group):
    UserFactory(username=username, groups=[group])
    client.login(request=HttpRequest(), username=username, password=PASSWORD)
    return client


def article_form(title, statute, number):
    return nested_form_data(
        {
            "title": title,
            "slug": f"article-{number}-{len(title)}",
            "summary": "高空抛物致人损害，找不到具体侵权人时怎么办？民法典给出了答案。",
            "cover_image": "",
            "cover_alt": "",
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>小区里的高空抛物，伤人之后谁来担责？</p>")),
                    (
                        "statute_citation",
                        {"statute": statute.name, "article": str(number), "note": ""},
                    ),
                ]
            ),
            "date": "2026-11-20",
            "source": "湖北网络普法",
            "author": "编辑部",
            "tags": "高空抛物,侵权责任",
            "comments": inline_formset([]),
        }
    )


@pytest.fixture
def civil_code(db):
    statute = StatuteFactory(name="中华人民共和国民法典", short_name="民法典")
    StatuteArticleFactory(
        statute=statute, position=1260, number=1254, text="禁止从建筑物中抛掷物品。"
    )
    return statute


def test_roles_and_the_review_workflow_exist_on_every_install(db):
    assert {EDITORS, REVIEWERS, OFFICIALS} <= set(Group.objects.values_list("name", flat=True))
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW)
    assert workflow.active
    assert Page.get_first_root_node().get_workflow() == workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [REVIEWERS]


def test_review_workflow_applies_to_every_article(topic):
    article = ArticlePageFactory(parent=topic)
    assert article.get_workflow().name == REVIEW_WORKFLOW


def test_editor_writes_and_submits_then_reviewer_approves_and_it_goes_live(
    client, topic, civil_code
):
    logged_in(client, "editor", EDITORS)
    add_url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", topic.pk))
    assert client.get(add_url).status_code == 200

    data = article_form("高空抛物，谁来担责", civil_code, 1254)
    data["action-submit"] = "Submit"
    response = client.post(add_url, data)

    assert response.status_code == 302, response.context["form"].errors
    article = ArticlePage.objects.get(title="高空抛物，谁来担责")
    assert not article.live
    state = WorkflowState.objects.get(
        object_id=str(article.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    assert state.workflow.name == REVIEW_WORKFLOW
    assert client.get(article.url).status_code == 404  # not public yet

    client.logout()
    logged_in(client, "reviewer", REVIEWERS)
    task_state = state.current_task_state
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk)
    )
    response = client.post(approve_url, {"comment": "引用准确，同意发布。"})
    assert response.status_code in (200, 302)

    article.refresh_from_db()
    assert article.live
    html = client.get(article.url).content.decode()
    assert "高空抛物，谁来担责" in html
    assert "禁止从建筑物中抛掷物品。" in html
    assert article.revisions.count() >= 1  # Wagtail's own history, not a home-made one


def test_editor_cannot_publish_directly(client, topic, civil_code):
    logged_in(client, "editor", EDITORS)
    add_url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", topic.pk))
    data = article_form("想直接发布的文章", civil_code, 1254)
    data["action-publish"] = "Publish"
    client.post(add_url, data)

    article = ArticlePage.objects.get(title="想直接发布的文章")
    assert not article.live


def test_reviewer_reject_sends_it_back_to_the_editor(client, topic, civil_code):
    editor = UserFactory(username="editor", groups=[EDITORS])
    article = ArticlePageFactory(parent=topic, live=False, title="待审文章")
    article.save_revision(user=editor)
    state = article.get_workflow().start(article, editor)

    logged_in(client, "reviewer", REVIEWERS)
    reject_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(article.pk, "reject", state.current_task_state.pk),
    )
    client.post(reject_url, {"comment": "第二段引用的条文不对，请改正。"})

    state.refresh_from_db()
    article.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not article.live

    # The editor reads the reviewer's words on the edit screen itself.
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,))).content.decode()
    assert "：第二段引用的条文不对，请改正。" in html
    assert "审核意见（" in html


def test_citing_an_article_that_does_not_exist_is_a_chinese_form_error(client, topic, civil_code):
    logged_in(client, "editor", EDITORS)
    add_url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", topic.pk))
    data = article_form("引用错误条号的文章", civil_code, 9999)
    data["action-submit"] = "Submit"
    response = client.post(add_url, data)

    assert response.status_code == 200
    error = response.context["form"].errors["body"].as_data()[0]
    assert "《中华人民共和国民法典》没有第九千九百九十九条。" in json.dumps(
        error.as_json_data(), ensure_ascii=False
    )
    assert not ArticlePage.objects.filter(title="引用错误条号的文章").exists()


def test_official_can_open_the_admin_but_not_edit_pages(client, topic):
    article = ArticlePageFactory(parent=topic)
    logged_in(client, "official", OFFICIALS)

    # The admin opens on the coverage dashboard, an official's only work there.
    home = client.get(reverse("wagtailadmin_home"))
    assert (home.status_code, home["Location"]) == (302, reverse("reach_dashboard"))
    add = client.get(reverse("wagtailadmin_pages:add", args=("content", "articlepage", topic.pk)))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    media = client.get(reverse("wagtailmedia:add", args=("video",)))

    for response in (add, edit, media):
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or "/admin/" in response["Location"]
    assert not ArticlePage.objects.filter(title="x").exists()


def test_editor_can_use_the_image_and_media_libraries(client, home):
    logged_in(client, "editor", EDITORS)
    assert client.get(reverse("wagtailimages_chooser:choose")).status_code == 200
    assert client.get(reverse("wagtailmedia:chooser")).status_code == 200
    assert client.get(reverse("wagtailmedia:add", args=("video",))).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, home):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and "login" in response["Location"]


def submit_new_article(client, topic, statute, title, **extra):
    add_url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", topic.pk))
    data = article_form(title, statute, 1254)
    data.update(extra, **{"action-submit": "Submit"})
    response = client.post(add_url, data)
    assert response.status_code == 302
    return ArticlePage.objects.get(title=title)


def approve_as_reviewer(client, article):
    state = WorkflowState.objects.get(
        object_id=str(article.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    client.logout()
    logged_in(client, "reviewer", REVIEWERS)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(article.pk, "approve", state.current_task_state.pk),
    )
    client.post(url, {"comment": ""})


def test_approval_is_in_the_audit_log(client, topic, civil_code):
    logged_in(client, "editor", EDITORS)
    article = submit_new_article(client, topic, civil_code, "审计日志里的文章")
    approve_as_reviewer(client, article)

    actions = set(PageLogEntry.objects.filter(page=article).values_list("action", flat=True))
    assert {"wagtail.create", "wagtail.workflow.start", "wagtail.workflow.approve"} <= actions
    assert "wagtail.publish" in actions


def test_approved_page_with_a_future_date_goes_live_when_scheduled(client, topic, civil_code):
    logged_in(client, "editor", EDITORS)
    article = submit_new_article(
        client, topic, civil_code, "定时发布的文章", go_live_at="2030-01-01 09:00"
    )
    approve_as_reviewer(client, article)
    article.refresh_from_db()
    assert not article.live
    revision = article.revisions.get(approved_go_live_at__isnull=False)

    # The clock enqueues portal.tasks.publish_scheduled every minute; here the time has come.
    due = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled", verbosity=0)

    article.refresh_from_db()
    assert article.live


def test_a_page_locked_by_one_editor_cannot_be_saved_by_another(client, topic, civil_code):
    article = ArticlePageFactory(parent=topic, live=False, title="上锁的文章")
    article.save_revision()
    logged_in(client, "editor", EDITORS)
    client.post(reverse("wagtailadmin_pages:lock", args=(article.pk,)))
    article.refresh_from_db()
    assert article.locked

    client.logout()
    logged_in(client, "editor2", EDITORS)
    data = article_form("被别人改掉的标题", civil_code, 1254)
    client.post(reverse("wagtailadmin_pages:edit", args=(article.pk,)), data)

    article.refresh_from_db()
    assert article.get_latest_revision_as_object().title == "上锁的文章"


def test_editor_can_preview_a_draft(client, topic, civil_code):
    article = ArticlePageFactory(parent=topic, live=False, title="草稿")
    article.save_revision()
    logged_in(client, "editor", EDITORS)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    data = article_form("预览中的标题", civil_code, 1254)
    assert client.post(url, data).json()["is_valid"]

    html = client.get(url).content.decode()
    assert "预览中的标题" in html and "禁止从建筑物中抛掷物品。" in html


def test_editors_find_every_article_in_one_list(client, topic):
    ArticlePageFactory(parent=topic, title="列表里的文章")
    logged_in(client, "editor", EDITORS)
    response = client.get(reverse("articles:index"))
    assert response.status_code == 200
    assert "列表里的文章" in response.content.decode()


def test_editor_writes_a_video_page_choosing_from_the_media_library(client, topic):
    media = VideoMediaFactory(title="反诈动漫成片")
    logged_in(client, "editor", EDITORS)
    add_url = reverse("wagtailadmin_pages:add", args=("content", "videopage", topic.pk))
    form = client.get(add_url).context["form"]
    assert isinstance(form.fields["video"].widget, AdminVideoChooser)

    data = nested_form_data(
        {
            "title": "动漫：别信“安全账户”",
            "slug": "anquan-zhanghu",
            "summary": "所谓安全账户，都是骗子的账户。",
            "video": media.pk,
            "poster": "",
            "transcript": "旁白：公检法机关没有“安全账户”。",
            "date": "2026-11-20",
            "tags": "冒充公检法",
            "comments": inline_formset([]),
            "action-submit": "Submit",
        }
    )
    assert client.post(add_url, data).status_code == 302
    video = VideoPage.objects.get(slug="anquan-zhanghu")
    assert video.video == media and not video.live
