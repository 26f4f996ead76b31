"""The public search page /search/, as a citizen sees it."""

import re

import pytest

from search import indexing
from tests.factories import ArticlePageFactory, VideoPageFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    """The page as text, tags removed (titles carry <mark> around matches)."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


@pytest.fixture
def indexed(site_index, statutes, topic):
    ArticlePageFactory(parent=topic, title="警惕新型电信网络诈骗", summary="刷单返利都是骗局。")
    VideoPageFactory(parent=topic, title="孩子沉迷网络怎么办", transcript="预防未成年人沉迷网络。")
    indexing.rebuild(progress=False)


def test_empty_page_invites_a_question(client, indexed):
    page = client.get("/search/").content.decode()
    assert "检索普法文章、视频和法律条文" in page
    assert "简体、繁体都可以" in page


def test_traditional_query_shows_the_law_first_with_highlights(client, indexed):
    response = client.get("/search/", {"q": "網絡詐騙"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "已按简体检索：" in page and "网络诈骗</a>" in page
    best = page.index('<article class="best-answer"')
    assert "中华人民共和国反电信网络诈骗法" in re.sub(r"<[^>]+>", "", page[best : best + 800])
    assert "网络诈骗</mark>" in page
    assert "找到" in page and "条相关结果" in page


def test_facets_link_to_filtered_results_with_counts(client, indexed):
    page = client.get("/search/", {"q": "诈骗"}).content.decode()
    assert "普法文章" in page and "法律条文" in page
    assert "?q=%E8%AF%88%E9%AA%97&amp;type=article" in page
    filtered = client.get("/search/", {"q": "诈骗", "type": "article"})
    assert "警惕新型电信网络诈骗" in text_of(filtered)
    assert "中华人民共和国反电信网络诈骗法 第" not in text_of(filtered)
    assert 'class="active" aria-current="true"' in filtered.content.decode()


def test_a_video_is_found_by_its_transcript(client, indexed):
    page = client.get("/search/", {"q": "沉迷网络", "type": "video"})
    assert "孩子沉迷网络怎么办" in text_of(page)


def test_no_results_is_said_plainly_with_what_to_try(client, indexed):
    page = client.get("/search/", {"q": "量子纠缠"}).content.decode()
    assert "没有找到与“量子纠缠”相关的内容" in page
    assert "在法律法规库中按名称查找" in page


def test_repealed_texts_are_marked(client, indexed):
    page = client.get("/search/", {"q": "噪声", "status": "已废止"}).content.decode()
    assert "已不再适用" in page
    assert "result-not-in-force" in page


def test_bad_input_is_a_form_error_not_a_crash(client, indexed):
    response = client.get("/search/", {"q": "诈" * 2000})
    assert response.status_code == 400
    assert "检索词最多 100 个字" in response.content.decode()
    response = client.get("/search/", {"q": "诈骗", "page": "-1"})
    assert response.status_code == 400
    assert "页码从 1 开始" in response.content.decode()


def test_pagination_links(client, indexed):
    page = client.get("/search/", {"q": "劳动合同"}).content.decode()
    assert 'rel="next"' in page
    second = client.get("/search/", {"q": "劳动合同", "page": 2}).content.decode()
    assert 'rel="prev"' in second and "第 2 页" in second


def test_page_uses_only_local_assets(client, indexed):
    page = client.get("/search/", {"q": "诈骗"}).content.decode()
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page
