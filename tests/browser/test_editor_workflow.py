"""The editorial workflow end to end in the Wagtail admin, as the two people do it: an editor
writes an article citing 刑法 第一百三十三条之一 by typing "133之一" in the citation block, sees
the quoted text (醉酒驾驶…) before saving, and submits it for 法律审核; a legal reviewer approves
it; the article is live, quotes the exact text of the law and links to /laws/<刑法>/133-1/."""

import pytest
from playwright.sync_api import expect

from content.models import ArticlePage, Statute
from content.statutes import import_statutes
from tests.factories import TopicIndexPageFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests"  # UserFactory's
TITLE = "醉驾入刑，这条红线别碰"


@pytest.fixture
def criminal_law_topic(home):
    import_statutes(laws=["中华人民共和国刑法"])
    return TopicIndexPageFactory(parent=home, title="交通安全", slug="jiaotong")


def log_in(page, role):
    from tests.browser.conftest import role_user

    role_user(role)
    page.goto("/admin/login/")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.fill("#id_username", role)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{page.url.split('/admin/')[0]}/admin/")


def write_article_citing_133_1(page, topic):
    page.goto(f"/admin/pages/add/content/articlepage/{topic.pk}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "醉酒驾驶机动车的，构成危险驾驶罪。")

    # The body: a 法条引用 (statute citation) block, the law and the article typed as people do.
    body = page.locator("[data-contentpath=body]")
    body.locator(".c-sf-add-button").first.click()
    page.get_by_role("option", name="法条引用").click()
    body.locator("input[data-statute-law]").fill("刑法")
    body.locator("input[name$='-value-article']").fill("133之一")
    # Before anything is saved, the editor reads the exact text that will be quoted.
    preview = body.locator(".statute-citation-preview")
    expect(preview).to_contain_text("《中华人民共和国刑法》第一百三十三条之一")
    expect(preview.locator("blockquote")).to_contain_text("醉酒驾驶机动车的")


def submit_for_review(page):
    page.locator("footer .w-dropdown__toggle").click()
    page.locator("footer button[name=action-submit]").click()
    expect(page.locator(".messages")).to_contain_text(f"页面 '{TITLE}' 已创建并提交审核。")


def test_editor_cites_133_1_reviewer_approves_and_the_article_links_to_it(
    new_context, criminal_law_topic
):
    editor = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(editor, "editor")
    write_article_citing_133_1(editor, criminal_law_topic)
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
    criminal_law = Statute.objects.get(name="中华人民共和国刑法")
    dangerous_driving = criminal_law.articles.get(number=133, sub_number=1)
    expect(reviewer.locator(".statute-citation blockquote")).to_have_text(dangerous_driving.text)
    link = reviewer.locator(".statute-citation a.law")
    expect(link).to_have_text("《中华人民共和国刑法》第一百三十三条之一")
    expect(link).to_have_attribute("href", f"/laws/{criminal_law.law_id}/133-1/")
