"""What a citizen sees: the home page, a topic listing, an article and a video."""

import datetime

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone

from content.models import ArticlePage
from tests.factories import (
    ArticlePageFactory,
    StatuteArticleFactory,
    StatuteFactory,
    TopicIndexPageFactory,
    VideoMediaFactory,
    VideoPageFactory,
)

pytestmark = pytest.mark.django_db


def publish_in_order(*pages):
    """Give pages distinct first-published times, oldest first, as if published one by one."""
    start = timezone.now() - datetime.timedelta(days=len(pages))
    for offset, page in enumerate(pages):
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=start + datetime.timedelta(days=offset)
        )
        page.refresh_from_db()
    return pages


def test_home_page_shows_hero_latest_items_and_topics(client, home, topic):
    TopicIndexPageFactory(parent=home, title="民法典")
    ArticlePageFactory(parent=topic, title="警惕冒充客服退款诈骗")
    VideoPageFactory(parent=topic, title="动漫：刷单返利都是骗局")
    home.featured_topics.create(topic=topic)
    home.save_revision().publish()

    html = client.get("/").content.decode()

    assert "学法、守法、用法，一键送达全省。" in html
    assert "最新普法" in html
    assert "警惕冒充客服退款诈骗" in html
    assert "动漫：刷单返利都是骗局" in html
    assert "推荐栏目" in html
    assert "全部栏目" in html
    assert "民法典" in html


def test_home_page_without_content_says_so(client, home):
    html = client.get("/").content.decode()
    assert "还没有发布的普法内容。" in html


def test_topic_lists_items_newest_first(client, topic):
    old, new = publish_in_order(
        ArticlePageFactory(parent=topic, title="较早的文章"),
        ArticlePageFactory(parent=topic, title="较新的文章"),
    )
    html = client.get(topic.url).content.decode()
    assert html.index("较新的文章") < html.index("较早的文章")


def test_topic_filters_by_type(client, topic):
    ArticlePageFactory(parent=topic, title="一篇文章")
    VideoPageFactory(parent=topic, title="一段视频")

    videos = client.get(topic.url, {"type": "video"}).content.decode()
    articles = client.get(topic.url, {"type": "article"}).content.decode()

    assert "一段视频" in videos and "一篇文章" not in videos
    assert "一篇文章" in articles and "一段视频" not in articles


def test_topic_filters_by_tag(client, topic):
    tagged = ArticlePageFactory(parent=topic, title="讲刷单的文章")
    tagged.tags.add("刷单返利")
    tagged.save_revision().publish()
    ArticlePageFactory(parent=topic, title="讲贷款的文章")

    html = client.get(topic.url, {"tag": "刷单返利"}).content.decode()

    assert "讲刷单的文章" in html
    assert "讲贷款的文章" not in html
    assert "#刷单返利" in html  # offered as a filter


def test_topic_filter_with_no_match_shows_empty_state(client, topic):
    ArticlePageFactory(parent=topic)
    html = client.get(topic.url, {"tag": "不存在的标签"}).content.decode()
    assert "没有符合筛选条件的内容。" in html


def test_empty_topic_says_content_is_coming(client, topic):
    assert "这个栏目还没有发布内容" in client.get(topic.url).content.decode()


def test_topic_paginates_twelve_per_page(client, topic):
    pages = [ArticlePageFactory(parent=topic, title=f"文章第{n:02d}篇") for n in range(14)]
    publish_in_order(*pages)

    first = client.get(topic.url).content.decode()
    second = client.get(topic.url, {"page": 2}).content.decode()

    assert "文章第13篇" in first and "文章第00篇" not in first
    assert "第 1 页，共 2 页" in first
    assert "文章第00篇" in second and "文章第01篇" in second and "文章第13篇" not in second


@pytest.mark.parametrize("bad", ["3", "0", "-1", "abc", "9" * 30])
def test_bad_page_number_is_a_styled_404(client, topic, bad):
    ArticlePageFactory(parent=topic)
    response = client.get(topic.url, {"page": bad})
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"type": "podcast"}, {"tag": "反诈\x00"}, {"tag": "长" * 101}, {"page": "1.5"}]
)
def test_bad_filters_are_a_styled_404(client, topic, query):
    response = client.get(topic.url, query)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_article_shows_meta_cover_body_and_reading_time(client, topic):
    cover = wagtail_factories.ImageFactory(title="封面")
    article = ArticlePageFactory(
        parent=topic,
        title="冒充公检法诈骗怎么识别",
        source="湖北省司法厅",
        author="李明",
        date=datetime.date(2026, 3, 15),
        cover_image=cover,
        cover_alt="一名民警提醒市民不要转账",
        body=[
            ("heading", {"text": "常见话术", "level": "h2"}),
            ("paragraph", "<p>" + "骗子自称警察，要求把钱转到安全账户。" * 60 + "</p>"),
            ("quote", {"quote": "公检法机关不会通过电话办案。", "attribution": "反诈中心"}),
            (
                "qa",
                {"question": "接到这种电话怎么办？", "answer": "<p>挂断电话，拨打110核实。</p>"},
            ),
        ],
    )
    article.tags.add("冒充公检法")
    article.save_revision().publish()

    html = client.get(article.url).content.decode()

    assert "冒充公检法诈骗怎么识别" in html
    assert "2026年3月15日" in html
    assert "来源：湖北省司法厅" in html and "作者：李明" in html
    assert "反电信网络诈骗" in html  # the topic
    assert "#冒充公检法" in html
    assert 'alt="一名民警提醒市民不要转账"' in html
    assert "<h2>常见话术</h2>" in html
    assert "公检法机关不会通过电话办案。" in html and "—— 反诈中心" in html
    assert "接到这种电话怎么办？" in html and "挂断电话，拨打110核实。" in html
    assert f"阅读约 {article.reading_minutes} 分钟" in html


def test_reading_time_counts_chinese_characters():
    short = ArticlePage(body=[("paragraph", "<p>" + "字" * 100 + "</p>")])
    long = ArticlePage(body=[("paragraph", "<p>" + "字" * 1300 + "</p>")])
    assert short.reading_minutes == 1
    assert long.reading_minutes == 4  # 1300 characters at 400 a minute, rounded up


def test_article_quotes_the_law_from_the_library(client, topic):
    statute = StatuteFactory(name="中华人民共和国反电信网络诈骗法")
    StatuteArticleFactory(
        statute=statute, position=2, number=2, text="本法所称电信网络诈骗，是指……的行为。"
    )
    article = ArticlePageFactory(
        parent=topic,
        body=[("statute_citation", {"statute": statute, "article": "2", "note": ""})],
    )
    html = client.get(article.url).content.decode()
    assert "本法所称电信网络诈骗，是指……的行为。" in html
    assert "本法所称电信网络诈骗" in article.body_text()


def test_related_items_are_from_the_same_topic(client, home, topic):
    other_topic = TopicIndexPageFactory(parent=home, title="民法典")
    article = ArticlePageFactory(parent=topic, title="本文")
    ArticlePageFactory(parent=topic, title="同栏目的文章")
    VideoPageFactory(parent=topic, title="同栏目的视频")
    ArticlePageFactory(parent=other_topic, title="别的栏目的文章")

    related = {p.title for p in article.related_items()}
    html = client.get(article.url).content.decode()

    assert related == {"同栏目的文章", "同栏目的视频"}
    assert "相关内容" in html and "同栏目的视频" in html
    assert "别的栏目的文章" not in html


def test_unpublished_items_are_not_listed_or_related(client, topic):
    article = ArticlePageFactory(parent=topic, title="本文")
    ArticlePageFactory(parent=topic, title="草稿文章", live=False)
    assert "草稿文章" not in client.get(topic.url).content.decode()
    assert "草稿文章" not in [p.title for p in article.related_items()]


def test_video_page_plays_natively_with_captions_and_transcript(client, topic):
    media = VideoMediaFactory(
        duration=75.4,
        width=1280,
        height=720,
        captions=ContentFile("WEBVTT\n\n00:00.000 --> 00:02.000\n你好\n".encode(), name="demo.vtt"),
    )
    video = VideoPageFactory(
        parent=topic,
        title="动漫：别把验证码告诉别人",
        video=media,
        poster=wagtail_factories.ImageFactory(),
        transcript="旁白：验证码就是你的钱包钥匙。",
    )

    html = client.get(video.url).content.decode()

    assert "<video" in html and "controls" in html and "playsinline" in html
    assert f'src="{media.file.url}" type="video/mp4"' in html
    assert 'kind="captions" srclang="zh-Hans"' in html and media.captions.url in html
    assert 'poster="' in html
    assert "时长 1:15" in html
    assert "文字稿" in html and "旁白：验证码就是你的钱包钥匙。" in html


def test_video_page_with_unknown_duration_says_unknown(client, topic):
    video = VideoPageFactory(parent=topic, video=VideoMediaFactory(duration=0))
    html = client.get(video.url).content.decode()
    assert "时长未知" in html
    assert "时长 0:00" not in html


def test_article_can_embed_a_video_from_the_media_library(client, topic):
    media = VideoMediaFactory()
    article = ArticlePageFactory(
        parent=topic, body=[("video", {"video": media, "caption": "看动画学反诈"})]
    )
    html = client.get(article.url).content.decode()
    assert media.file.url in html and "看动画学反诈" in html


def test_body_text_is_what_a_reader_reads(topic):
    statute = StatuteFactory(name="中华人民共和国个人信息保护法")
    StatuteArticleFactory(statute=statute, number=4, position=4, text="个人信息是……各种信息。")
    article = ArticlePageFactory(
        parent=topic,
        body=[
            ("heading", {"text": "什么是个人信息", "level": "h2"}),
            ("paragraph", "<p>手机号、<b>人脸</b>都是。</p>"),
            ("statute_citation", {"statute": statute, "article": "4", "note": ""}),
            ("qa", {"question": "能拒绝刷脸吗？", "answer": "<p>可以要求其他方式。</p>"}),
            ("video", {"video": VideoMediaFactory(), "caption": "看动画"}),
        ],
    )
    assert article.body_text().split("\n") == [
        "什么是个人信息",
        "手机号、人脸都是。",
        "个人信息是……各种信息。",
        "能拒绝刷脸吗？",
        "可以要求其他方式。",
        "看动画",
    ]
