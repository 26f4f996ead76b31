"""The editorial workflow end to end in the Wagtail admin, as the two people do it: an editor
writes an article citing 民法典 第1254条 through the citation block and submits it for 法律审核;
a legal reviewer approves it; the article is live and quotes the exact text of the law."""

import re

import pytest
from playwright.sync_api import expect

from content.models import ArticlePage
from tests.factories import StatuteArticleFactory, StatuteFactory, TopicIndexPageFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests"  # UserFactory's
ARTICLE_1254 = (
    "禁止从建筑物中抛掷物品。从建筑物中抛掷物品或者从建筑物上坠落的物品造成他人损害的，"
    "由侵权人依法承担侵权责任。"
)
TITLE = "高空抛物伤人，找不到人怎么办？"


@pytest.fixture
def civil_code_topic(home):
    statute = StatuteFactory(law_id="minfadian", name="中华人民共和国民法典", short_name="民法典")
    StatuteArticleFactory(statute=statute, position=1260, number=1254, text=ARTICLE_1254)
    StatuteFactory(name="中华人民共和国刑法")  # another law the chooser must not pick
    return TopicIndexPageFactory(parent=home, title="民法典", slug="minfadian")


def log_in(page, role):
    from tests.browser.conftest import role_user

    role_user(role)
    page.goto("/admin/login/")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.fill("#id_username", role)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{page.url.split('/admin/')[0]}/admin/")


def write_article_citing_1254(page, topic):
    page.goto(f"/admin/pages/add/content/articlepage/{topic.pk}/")
    page.fill("#id_title", TITLE)
    page.fill(
        "#id_summary", "高空抛物致人损害又找不到具体侵权人时，民法典第一千二百五十四条给出了答案。"
    )

    # The body: insert a 法条引用 (statute citation) block and choose the law in the chooser.
    body = page.locator("[data-contentpath=body]")
    body.locator(".c-sf-add-button").first.click()
    page.get_by_role("option", name="法条引用").click()
    body.locator(".chooser__choose-button").click()
    modal = page.locator(".modal-content")
    modal.locator("input[name=q]").fill("民法典")
    modal.locator("a[data-chooser-modal-choice]", has_text="中华人民共和国民法典").click()
    expect(modal).to_be_hidden()
    expect(body.locator(".chooser__title")).to_have_text("中华人民共和国民法典")
    body.locator("input[name$='-value-article_number']").fill("1254")


def submit_for_review(page):
    page.locator("footer .w-dropdown__toggle").click()
    page.locator("footer button[name=action-submit]").click()
    # Wagtail says 已经提交进行审核 for a saved page and 已创建并提交审核 for a new one.
    expect(page.locator(".messages")).to_contain_text(re.compile("提交(进行)?审核"))


def test_editor_submits_reviewer_approves_and_the_article_goes_live(new_context, civil_code_topic):
    editor = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(editor, "editor")
    write_article_citing_1254(editor, civil_code_topic)
    submit_for_review(editor)

    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert article.current_workflow_state.workflow.name == "法律审核"

    reviewer = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(reviewer, "reviewer")
    reviewer.goto(f"/admin/pages/{article.pk}/edit/")
    reviewer.locator("footer .w-dropdown__toggle").click()
    reviewer.locator(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).click()
    expect(reviewer.locator(".messages")).to_contain_text(TITLE)

    article.refresh_from_db()
    assert article.live
    reviewer.goto(article.url)
    expect(reviewer.locator("h1")).to_have_text(TITLE)
    expect(reviewer.locator(".statute-citation blockquote")).to_have_text(ARTICLE_1254)
    expect(reviewer.locator(".statute-citation")).to_contain_text(
        "《中华人民共和国民法典》第一千二百五十四条"
    )
