"""The public pages of the statute library, as a citizen sees them: the list of laws, one law,
one article with the portal's items that cite it, and styled 404s for anything unknown."""

import datetime

import pytest
from django.urls import reverse

from content.models import Statute
from tests.factories import ArticlePageFactory, StatuteArticleFactory, StatuteFactory

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


@pytest.fixture
def constitution(db):
    """A law in force with chapters and sections, and its older, historical version."""
    current = StatuteFactory(
        law_id="xianfa2018",
        name="中华人民共和国宪法",
        short_name="宪法",
        level="宪法",
        issuing_body="全国人民代表大会",
        department="宪法",
        publish_date=datetime.date(2018, 3, 11),
        effective_date=datetime.date(2018, 3, 11),
    )
    old = StatuteFactory(
        law_id="xianfa1982",
        name="中华人民共和国宪法",
        short_name="宪法",
        level="宪法",
        department="宪法",
        status=Statute.Status.HISTORICAL,
        current_version=current,
        publish_date=datetime.date(1982, 12, 4),
        version_date=datetime.date(1982, 12, 4),
    )
    chapters = [
        (
            "第一章 总纲",
            "",
            "中华人民共和国是工人阶级领导的、以工农联盟为基础的人民民主专政的社会主义国家。",
        ),
        ("第一章 总纲", "", "中华人民共和国的一切权力属于人民。"),
        ("第三章 国家机构", "第一节 全国人民代表大会", "全国人民代表大会是最高国家权力机关。"),
    ]
    for position, (chapter, section, text) in enumerate(chapters, start=1):
        StatuteArticleFactory(
            statute=current, position=position, chapter=chapter, section=section, text=text
        )
    StatuteArticleFactory(statute=old, position=1, text="1982年的第一条。")
    return current, old


def test_index_lists_laws_in_force_and_hides_repealed_ones_unless_asked(client, constitution):
    StatuteFactory(name="中华人民共和国噪声污染防治法", status=Statute.Status.REPEALED)

    response = client.get(reverse("statute_index"))
    assert response.status_code == 200
    page = html(response)
    assert "法律法规库" in page
    assert "收录现行有效的法律 1 部" in page
    assert "中华人民共和国宪法" in page
    assert "噪声污染防治法" not in page
    assert "xianfa1982" not in page

    page = html(client.get(reverse("statute_index"), {"status": "repealed"}))
    assert "噪声污染防治法" in page
    assert "以下是已废止的法律，仅供查阅，不再适用。" in page
    assert '<span class="badge warn">已废止</span>' in page


def test_index_filters_by_name_department_and_level(client, constitution):
    StatuteFactory(name="中华人民共和国个人信息保护法", department="社会法", level="法律")

    page = html(client.get(reverse("statute_index"), {"q": "个人信息"}))
    assert "个人信息保护法" in page and "中华人民共和国宪法" not in page

    page = html(client.get(reverse("statute_index"), {"department": "宪法"}))
    assert "中华人民共和国宪法" in page and "个人信息保护法" not in page

    page = html(client.get(reverse("statute_index"), {"level": "法律"}))
    assert "个人信息保护法" in page and "中华人民共和国宪法" not in page

    page = html(client.get(reverse("statute_index"), {"q": "没有这部法"}))
    assert "没有符合条件的法律。" in page


def test_index_answers_bad_filters_with_400_and_bad_pages_with_the_styled_404(client, constitution):
    response = client.get(reverse("statute_index"), {"status": "过期"})
    assert response.status_code == 400
    assert "筛选条件有误" in html(response)

    for bad_page in ("abc", "0", "99", "-1"):
        response = client.get(reverse("statute_index"), {"page": bad_page})
        assert response.status_code == 404
        assert "页面不存在" in html(response)


def test_index_is_paginated(client):
    for n in range(35):
        StatuteFactory(name=f"中华人民共和国分页测试法{n:02d}")
    first = html(client.get(reverse("statute_index")))
    second = html(client.get(reverse("statute_index"), {"page": 2}))
    assert "第 1 页，共 2 页" in first and "分页测试法00" in first
    assert "第 2 页，共 2 页" in second and "分页测试法34" in second


def test_law_page_shows_metadata_contents_and_anchored_articles(client, constitution):
    current, old = constitution
    response = client.get(current.get_absolute_url())

    assert response.status_code == 200
    page = html(response)
    for label, value in [
        ("效力级别", "宪法"),
        ("制定机关", "全国人民代表大会"),
        ("公布日期", "2018年3月11日"),
        ("施行日期", "2018年3月11日"),
        ("时效性", "现行有效"),
    ]:
        assert f"<dt>{label}</dt><dd>" in page and value in page
    assert "这是历史版本" not in page
    # Table of contents links to the first article of each chapter and section.
    assert '<a href="#a1">第一章 总纲</a>' in page
    assert '<a href="#a3">第三章 国家机构</a>' in page
    assert '<a href="#a3">第一节 全国人民代表大会</a>' in page
    assert 'id="a2"' in page and "中华人民共和国的一切权力属于人民。" in page
    assert f'href="{reverse("statute_article", args=["xianfa2018", 2])}"' in page
    assert f'href="{old.get_absolute_url()}"' in page  # its other version


def test_historical_version_is_marked_and_links_to_the_version_in_force(client, constitution):
    current, old = constitution
    page = html(client.get(old.get_absolute_url()))
    assert "这是历史版本，不是现行有效的文本。" in page
    assert (
        f'<a href="{current.get_absolute_url()}">查看现行有效的《中华人民共和国宪法》</a>' in page
    )


def test_repealed_law_without_successor_says_so_and_unknown_dates_stay_unknown(client):
    statute = StatuteFactory(
        name="中华人民共和国环境保护法", status=Statute.Status.REPEALED, issuing_body=""
    )
    page = html(client.get(statute.get_absolute_url()))
    assert "本法已废止，不再适用。" in page
    assert "法律法规库中没有同名的现行有效版本。" in page
    assert "<dt>制定机关</dt><dd>未注明</dd>" in page
    assert "<dt>施行日期</dt><dd>未知</dd>" in page


def test_article_page_quotes_the_text_with_neighbours_and_a_way_back(client, constitution):
    current, _old = constitution
    response = client.get(reverse("statute_article", args=["xianfa2018", 2]))

    assert response.status_code == 200
    page = html(response)
    assert "《中华人民共和国宪法》第二条" in page
    assert "中华人民共和国的一切权力属于人民。" in page
    assert f'href="{reverse("statute_article", args=["xianfa2018", 1])}">上一条：第一条' in page
    assert f'href="{reverse("statute_article", args=["xianfa2018", 3])}">下一条：第三条' in page
    assert f'href="{current.get_absolute_url()}#a2">返回全文' in page
    assert "本站还没有引用这一条的普法内容。" in page

    first = html(client.get(reverse("statute_article", args=["xianfa2018", 1])))
    assert "上一条" not in first and "下一条：第二条" in first


def test_article_of_an_old_version_is_marked(client, constitution):
    page = html(client.get(reverse("statute_article", args=["xianfa1982", 1])))
    assert "这是历史版本，不是现行有效的文本。" in page
    assert '<span class="badge warn">历史版本</span>' in page


@pytest.mark.parametrize(
    "url",
    ["/laws/no-such-law/", "/laws/no-such-law/1/", "/laws/xianfa2018/99/", "/laws/xianfa2018/0/"],
)
def test_unknown_laws_and_articles_get_the_styled_404(client, constitution, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in html(response)


def test_an_absurd_article_number_in_the_url_is_a_404_not_a_500(client, constitution):
    response = client.get("/laws/xianfa2018/99999999999999999999999/")
    assert response.status_code == 404


def citation(statute, number):
    return {
        "type": "statute_citation",
        "value": {"statute": statute.law_id, "article": str(number)},
    }


def test_article_page_lists_the_live_portal_items_that_cite_it(client, topic, run_tasks):
    statute = StatuteFactory(name="中华人民共和国民法典", short_name="民法典")
    article = StatuteArticleFactory(statute=statute, position=1260, number=1254)
    StatuteArticleFactory(statute=statute, position=1261, number=1255)
    citing = ArticlePageFactory(
        parent=topic, title="高空抛物，谁来担责？", body=[citation(statute, 1254)]
    )
    ArticlePageFactory(parent=topic, title="另一条的解读", body=[citation(statute, 1255)])
    ArticlePageFactory(
        parent=topic, title="尚未发布的稿件", live=False, body=[citation(statute, 1254)]
    )
    unrelated = StatuteFactory()
    StatuteArticleFactory(statute=unrelated, position=1254, number=1254)
    ArticlePageFactory(parent=topic, title="引用别的法律", body=[citation(unrelated, 1254)])
    run_tasks()  # Wagtail updates its reference index in a background task

    page = html(client.get(article.get_absolute_url()))

    assert "本站引用这一条的内容" in page
    assert f'<a href="{citing.url}">高空抛物，谁来担责？</a>' in page
    assert "另一条的解读" not in page
    assert "尚未发布的稿件" not in page
    assert "引用别的法律" not in page


def test_an_article_and_its_zhi_yi_sibling_are_cited_apart(client, topic, run_tasks):
    """第一百二十条之一 shares 120 with 第一百二十条 but is its own article: a page citing
    120-1 is listed there, not on 第一百二十条."""
    statute = StatuteFactory(name="中华人民共和国刑法")
    main = StatuteArticleFactory(statute=statute, position=1, number=120, label="第一百二十条")
    suffixed = StatuteArticleFactory(
        statute=statute, position=2, number=120, sub_number=1, label="第一百二十条之一"
    )
    ArticlePageFactory(parent=topic, title="反恐普法", body=[citation(statute, "120-1")])
    run_tasks()

    assert suffixed.get_absolute_url() == f"/laws/{statute.law_id}/120-1/"
    assert "反恐普法" in html(client.get(suffixed.get_absolute_url()))
    assert "反恐普法" not in html(client.get(main.get_absolute_url()))


def test_sitemap_lists_the_laws_beside_the_pages(client, home, constitution):
    current, old = constitution
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"http://testserver{current.get_absolute_url()}</loc>" in xml
    assert f"http://testserver{old.get_absolute_url()}</loc>" in xml


def test_the_contents_is_marked_to_fold_on_phones(client):
    statute = StatuteFactory(name="中华人民共和国长法")
    for position in range(1, 15):
        StatuteArticleFactory(statute=statute, position=position, chapter=f"第{position}章")
    page = html(client.get(statute.get_absolute_url()))
    assert '<details class="statute-toc" open data-fold-on-phone>' in page


def test_index_finds_traditional_names_and_filters_by_issuing_body_and_date(client):
    StatuteFactory(
        name="中华人民共和国劳动合同法",
        issuing_body="全国人民代表大会常务委员会",
        publish_date=datetime.date(2007, 6, 29),
    )
    StatuteFactory(
        name="中华人民共和国劳动法",
        issuing_body="全国人民代表大会",
        publish_date=datetime.date(1994, 7, 5),
    )

    traditional = html(client.get(reverse("statute_index"), {"q": "勞動合同"}))
    by_body = html(client.get(reverse("statute_index"), {"issuing_body": "全国人民代表大会"}))
    by_date = html(client.get(reverse("statute_index"), {"published_from": "2000-01-01"}))

    assert "中华人民共和国劳动合同法" in traditional and "中华人民共和国劳动法" not in traditional
    assert "中华人民共和国劳动法" in by_body and "中华人民共和国劳动合同法" not in by_body
    assert "中华人民共和国劳动合同法" in by_date and "中华人民共和国劳动法" not in by_date
