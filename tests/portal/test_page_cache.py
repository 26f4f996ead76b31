"""The page cache in front (nginx): home, topic, article and video pages for anonymous readers
only, at their plain address, purged from every proxy with the pages that list them as soon as a
publish, unpublish or move is committed."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.models import PageViewRestriction

from content.citing import citation_notices_changed
from content.models import CitationChange
from tests.factories import ArticlePageFactory, TopicIndexPageFactory, UserFactory

PROXY = "http://127.0.0.1:{port}"


@pytest.fixture
def proxy(settings):
    """A stand-in for nginx's purge endpoint, recording each PURGE it receives."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            received.append((self.path, self.headers.get("Accept-Language")))
            self.send_response(200 if len(received) % 2 else 404)  # cached, or was not
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FRONTEND_CACHE_PURGE_URLS = [PROXY.format(port=server.server_address[1])]
    yield received
    server.shutdown()
    server.server_close()


@pytest.fixture
def article(topic):
    return ArticlePageFactory(parent=topic, title="警惕刷单返利诈骗", slug="shuadan")


def test_an_anonymous_readers_article_may_be_kept_by_the_proxy_not_the_browser(
    client, article, proxy
):
    response = client.get(article.url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=300"


@pytest.mark.parametrize("where", ["home", "topic", "tracked article"])
def test_the_pages_that_list_articles_may_be_kept_too(client, home, article, proxy, where):
    url = {
        "home": home.url,
        "topic": article.get_parent().url,
        "tracked article": f"{article.url}?ch=jiangan",
    }[where]

    response = client.get(url)

    assert response["Cache-Control"] == "public, max-age=0, s-maxage=300"


@pytest.mark.parametrize(
    "where", ["topic's second page", "topic's videos", "article with a query", "laws", "map"]
)
def test_other_pages_are_never_marked_for_the_proxy(client, home, article, proxy, where):
    topic = article.get_parent()
    url = {
        "topic's second page": f"{topic.url}?page=1",
        "topic's videos": f"{topic.url}?type=video",
        "article with a query": f"{article.url}?utm_source=wechat",
        "laws": "/laws/",
        "map": "/map/",
    }[where]

    response = client.get(url)

    assert response.status_code == 200
    assert "s-maxage" not in response.get("Cache-Control", "")


def test_signed_in_staff_never_get_a_cacheable_page(client, article, proxy):
    client.force_login(UserFactory(is_superuser=True))

    response = client.get(article.url)

    assert "public" not in response.get("Cache-Control", "")


def test_a_page_behind_a_password_is_never_marked_cacheable(client, article, proxy):
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="内部"
    )

    response = client.get(article.url)

    assert response.status_code == 200  # the password form
    assert "public" not in response.get("Cache-Control", "")


def test_without_a_proxy_to_purge_nothing_is_marked_cacheable(client, article, settings):
    settings.FRONTEND_CACHE_PURGE_URLS = []

    response = client.get(article.url)

    assert response.has_header("Cache-Control") is False


def test_publishing_purges_the_page_and_the_pages_listing_it_in_every_language_once_committed(
    article, topic, home, proxy, django_capture_on_commit_callbacks
):
    article.summary = "修订后的摘要"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.save_revision().publish()
        assert proxy == []  # nothing before the commit: a reader could refill the old page

    for callback in callbacks:
        callback()

    assert proxy == [
        (path, language)
        for path in (article.url, home.url, topic.url)
        for language in ("zh-hans", "en")
    ]


def test_unpublishing_purges_the_page_and_its_lists(
    article, topic, home, proxy, django_capture_on_commit_callbacks
):
    path = article.url
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()

    assert [purged for purged, language in proxy] == [path, path, "/", "/", topic.url, topic.url]


def test_publishing_a_topic_purges_it_and_the_home_page(
    topic, home, proxy, django_capture_on_commit_callbacks
):
    topic.title = "反诈骗"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()

    assert [path for path, language in proxy] == [topic.url, topic.url, "/", "/"]


def test_moving_purges_the_old_address_and_list_and_the_new(
    article, topic, home, proxy, django_capture_on_commit_callbacks
):
    other = TopicIndexPageFactory(parent=home, title="食品安全", slug="shipin")
    old_path = article.url
    with django_capture_on_commit_callbacks(execute=True):
        article.move(other, pos="last-child")

    article.refresh_from_db()
    assert [path for path, language in proxy][::2] == [
        "/",
        topic.url,
        old_path,
        article.url,
        "/",
        other.url,
    ]
    assert old_path != article.url


def test_a_page_whose_cited_law_changed_is_purged_when_its_notice_comes_or_goes(
    article, proxy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        citation_notices_changed.send(sender=CitationChange, page_ids=frozenset({article.pk}))

    assert proxy == [(article.url, "zh-hans"), (article.url, "en")]
