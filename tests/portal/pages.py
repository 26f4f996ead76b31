"""The public pages the validators check (Nu HTML Checker, axe-core): one of each kind, built
through the real code path, shared by the HTML and the browser tests."""

from tests.factories import (
    ArticlePageFactory,
    StatuteArticleFactory,
    StatuteFactory,
    VideoPageFactory,
)


def public_pages(topic):
    """{name: url} of the home, topic, article, video, law, law article, search and map pages;
    the article cites the law, so its citation block is checked too."""
    statute = StatuteFactory(name="中华人民共和国反电信网络诈骗法", law_id="fanzha2022")
    first = StatuteArticleFactory(statute=statute, position=1, number=1, text="为了预防诈骗……")
    StatuteArticleFactory(statute=statute, position=2, number=2, text="本法所称电信网络诈骗……")
    article = ArticlePageFactory(parent=topic, title="遇到电信诈骗怎么办", slug="guide")
    article.body = [
        ("paragraph", "<p>接到陌生来电要求转账，先挂断，再核实。</p>"),
        ("statute_citation", {"statute": statute, "article": "2", "note": "请牢记"}),
    ]
    article.save_revision().publish()
    video = VideoPageFactory(parent=topic, title="识破冒充公检法诈骗", slug="video")
    video.save_revision().publish()
    return {
        "home": "/",
        "topic": topic.url,
        "article": article.url,
        "video": video.url,
        "law": statute.get_absolute_url(),
        "law article": first.get_absolute_url(),
        "search": "/search/?q=诈骗",
        "map": "/map/",
    }
