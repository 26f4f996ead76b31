"""Editors search too: Wagtail's admin search (page explorer, page chooser) finds a two-character
word inside a Chinese title, which Wagtail's default database backend cannot."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from wagtail.search.backends import get_search_backend

from search.wagtail_backend import query_tokens
from tests.factories import ArticlePageFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    # On PostgreSQL the portal runs with Elasticsearch (compose.yaml), where Wagtail's own
    # Elasticsearch backend analyses with cjk; PostgreSQL alone keeps Wagtail's backend as is.
    pytest.mark.skipif(
        connection.vendor != "sqlite" and not settings.ELASTICSEARCH_URL,
        reason="PostgreSQL without Elasticsearch: Wagtail's own database search backend",
    ),
]


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def pages(topic, run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(parent=topic, title="警惕新型电信网络诈骗", body=[])
        ArticlePageFactory(parent=topic, title="校园欺凌的法律责任", body=[])
    run_tasks()  # Wagtail indexes for its own search in the task worker, as in production
    get_search_backend().refresh_indexes()  # Elasticsearch (CI job): make the writes visible


def test_page_explorer_search_finds_a_word_inside_a_title(editor_client, pages):
    page = editor_client.get(reverse("wagtailadmin_pages:search"), {"q": "诈骗"}).content.decode()
    assert "警惕新型电信网络诈骗" in page
    assert "校园欺凌的法律责任" not in page


def test_traditional_and_quoted_queries_work_in_the_admin(editor_client, pages):
    url = reverse("wagtailadmin_pages:search")
    assert "警惕新型电信网络诈骗" in editor_client.get(url, {"q": "網絡詐騙"}).content.decode()
    response = editor_client.get(url, {"q": '"诈骗'})  # a stray quote is no FTS syntax error
    assert response.status_code == 200


def test_page_chooser_search_finds_it(editor_client, pages):
    url = reverse("wagtailadmin_choose_page_search")
    page = editor_client.get(url, {"q": "欺凌"}).content.decode()
    assert "校园欺凌的法律责任" in page


def test_query_tokens_are_the_bigrams_of_each_word():
    assert query_tokens("网络 诈骗") == ["网络", "诈骗"]
    assert query_tokens("未成年人") == ["未成", "成年", "年人"]
    assert query_tokens("怎么办") == []
