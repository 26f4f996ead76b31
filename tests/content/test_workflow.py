"""The editorial roles from the data migration, driven through the Wagtail admin: an editor
writes and submits, a legal reviewer approves and the page goes live, an official cannot edit."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.models import ArticlePage
from content.roles import EDITORS, OFFICIALS, REVIEW_WORKFLOW, REVIEWERS
from tests.factories import (
    ArticlePageFactory,
    StatuteArticleFactory,
    StatuteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"


def logged_in(client, username, group):
    UserFactory(username=username, groups=[group])
    client.login(username=username, password=PASSWORD)
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
                        {"statute": statute.pk, "article_number": number, "note": ""},
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


def test_citing_an_article_that_does_not_exist_is_a_chinese_form_error(client, topic, civil_code):
    logged_in(client, "editor", EDITORS)
    add_url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", topic.pk))
    data = article_form("引用错误条号的文章", civil_code, 9999)
    data["action-submit"] = "Submit"
    response = client.post(add_url, data)

    assert response.status_code == 200
    error = response.context["form"].errors["body"].as_data()[0]
    assert "《中华人民共和国民法典》没有第 9999 条。" in json.dumps(
        error.as_json_data(), ensure_ascii=False
    )
    assert not ArticlePage.objects.filter(title="引用错误条号的文章").exists()


def test_official_can_open_the_admin_but_not_edit_pages(client, topic):
    article = ArticlePageFactory(parent=topic)
    logged_in(client, "official", OFFICIALS)

    assert client.get(reverse("wagtailadmin_home")).status_code == 200
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
