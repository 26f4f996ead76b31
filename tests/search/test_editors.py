"""Editors keep search learning: the report of questions that found nothing or whose results
nobody opened, and the thesaurus they edit in the admin, which the next search uses."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from content.roles import EDITORS
from search import indexing
from search.models import SearchQueryStat, ThesaurusEntry
from tests.factories import ArticlePageFactory, UserFactory
from tests.processes import DjangoProcess

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(site_index, statutes, topic):
    ArticlePageFactory(parent=topic, title="警惕新型电信网络诈骗", summary="刷单返利都是骗局。")
    indexing.rebuild(progress=False)


@pytest.fixture
def editor_client(client):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    return client


def test_each_question_asked_is_counted_with_whether_it_found_anything(client, indexed):
    client.get("/search/", {"q": "網絡詐騙"})
    client.get("/api/search/", {"q": "网络诈骗"})
    client.get("/search/", {"q": "红烧肉怎么做"})
    stats = {s.query: (s.searches, s.no_result) for s in SearchQueryStat.objects.all()}
    assert stats == {"网络诈骗": (2, 0), "红烧肉怎么做": (1, 1)}


@pytest.mark.django_db(transaction=True)
def test_two_processes_counting_the_same_question_count_every_search():
    with DjangoProcess() as other:
        assert other.ask("count-search", "网络诈骗", 3) == "counted"
        SearchQueryStat.objects.record("网络诈骗", 0)
        assert other.ask("count-search", "网络诈骗", 0) == "counted"
    stat = SearchQueryStat.objects.get(query="网络诈骗")
    assert (stat.searches, stat.no_result, stat.results) == (3, 2, 0)


def test_opening_a_result_is_counted_for_the_question(client, indexed):
    client.get("/search/", {"q": "网络诈骗"})
    response = client.post("/api/search/click/", {"q": "網絡詐騙"}, content_type="application/json")
    assert response.status_code == 204
    assert SearchQueryStat.objects.get(query="网络诈骗").clicks == 1


def test_a_click_for_a_question_never_asked_records_nothing(client, db):
    response = client.post("/api/search/click/", {"q": "没人问过"}, content_type="application/json")
    assert response.status_code == 204
    assert SearchQueryStat.objects.count() == 0


def test_the_report_lists_questions_with_no_result_or_no_click(editor_client, indexed):
    editor_client.get("/search/", {"q": "红烧肉怎么做"})
    editor_client.get("/search/", {"q": "网络诈骗"})
    editor_client.get("/search/", {"q": "劳动合同"})
    editor_client.post("/api/search/click/", {"q": "劳动合同"}, content_type="application/json")
    page = editor_client.get(reverse("search_reports:unanswered")).content.decode()
    assert "红烧肉怎么做" in page and "网络诈骗" in page
    assert "劳动合同" not in page
    no_result = editor_client.get(reverse("search_reports:unanswered"), {"kind": "no_result"})
    assert "网络诈骗" not in no_result.content.decode()


def test_the_report_is_for_editors_only(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("search_reports:unanswered")).status_code in (302, 403)


def test_an_editor_adds_a_thesaurus_entry_and_the_next_search_uses_it(editor_client, indexed):
    assert "条相关结果" not in editor_client.get("/search/", {"q": "骗子短信"}).content.decode()
    add = reverse("wagtailsnippets_search_thesaurusentry:add")
    response = editor_client.post(
        add,
        {
            "spoken": "骗子短信",
            "legal": "电信网络诈骗",
            "source": "反电信网络诈骗法 第2条",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert ThesaurusEntry.objects.get().legal == "电信网络诈骗"
    page = editor_client.get("/search/", {"q": "骗子短信"}).content.decode()
    assert "反电信网络诈骗法" in page
