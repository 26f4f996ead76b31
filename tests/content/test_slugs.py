"""Pinyin slugs: a page an editor creates with a Chinese title is published at a short ASCII
address, unique among its siblings; a page that has been live keeps the slug it has."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.models import ArticlePage, TopicIndexPage
from content.roles import EDITORS
from content.slugs import pinyin_slug
from tests.factories import ArticlePageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, slug",
    [
        ("警惕新型电信网络诈骗", "jing-ti-xin-xing-dian-xin-wang-luo-zha-pian"),
        ("重庆银行", "chong-qing-yin-hang"),  # 重 read chóng in the word, not zhòng
        ("2024年“双十一”网购退货指南", "2024-nian-shuang-shi-yi-wang-gou-tui-huo-zhi-nan"),
        ("AI换脸：新骗局", "ai-huan-lian-xin-pian-ju"),
        ("民法典", "min-fa-dian"),
    ],
)
def test_a_chinese_title_is_spelled_in_pinyin(text, slug):
    assert pinyin_slug(text) == slug


def test_a_long_title_is_cut_between_syllables():
    slug = pinyin_slug("中华人民共和国未成年人保护法关于网络保护和家庭保护的规定解读")
    assert slug == "zhong-hua-ren-min-gong-he-guo-wei-cheng-nian-ren-bao-hu-fa"  # 58 of 60


def add_article(client, topic, title, slug):
    """Submits a new article through the admin's add form, as an editor does."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "摘要",
            "cover_image": "",
            "cover_alt": "",
            "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
            "date": "2026-11-20",
            "source": "湖北网络普法",
            "author": "",
            "tags": "",
            "comments": inline_formset([]),
            "action-submit": "Submit",
        }
    )
    url = reverse("wagtailadmin_pages:add", args=("content", "articlepage", topic.pk))
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    return ArticlePage.objects.filter(title=title).latest("pk")


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(username="editor", groups=[EDITORS]))
    return client


def test_an_editors_new_article_gets_a_pinyin_slug(editor, topic):
    # The admin fills the slug from the title as the editor types: in Chinese.
    article = add_article(editor, topic, "高空抛物谁来担责", "高空抛物谁来担责")
    assert article.slug == "gao-kong-pao-wu-shui-lai-dan-ze"
    assert article.url_path.endswith("/gao-kong-pao-wu-shui-lai-dan-ze/")


def test_the_same_title_twice_gets_a_second_slug(editor, topic):
    add_article(editor, topic, "高空抛物谁来担责", "高空抛物谁来担责")
    second = add_article(editor, topic, "高空抛物谁来担责", "高空抛物谁来担责")
    assert second.slug == "gao-kong-pao-wu-shui-lai-dan-ze-2"


def test_an_ascii_slug_the_editor_typed_is_kept(editor, topic):
    article = add_article(editor, topic, "高空抛物谁来担责", "gaokong")
    assert article.slug == "gaokong"


def test_a_page_that_was_live_keeps_its_chinese_slug(client, topic):
    client.force_login(UserFactory(username="boss", is_superuser=True, is_staff=True))
    page = TopicIndexPage.objects.get(pk=topic.pk)
    page.slug = "反诈"
    page.save_revision().publish()
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = nested_form_data(
        {
            "title": page.title,
            "slug": "反诈",
            "intro": "改过的介绍",
            "comments": inline_formset([]),
            "action-publish": "Publish",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    page.refresh_from_db()
    assert (page.slug, page.intro) == ("反诈", "改过的介绍")


def test_articles_made_in_code_keep_the_slug_they_are_given(topic):
    assert ArticlePageFactory(parent=topic, slug="given").slug == "given"
