"""Finding an article by its citation: a search that names a law and an article puts that
article first, in the API and on the search page, however the question is written."""

import pytest

from content.statutes import import_statutes
from search import indexing

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(site_index, statutes):
    import_statutes(laws=["民法典", "中华人民共和国刑法"])
    indexing.rebuild(progress=False)


@pytest.mark.parametrize(
    ("query", "url", "article_no"),
    [
        ("民法典第1254条", "/laws/7772c5d4af34/1254/", "第一千二百五十四条"),
        ("《民法典》第一千二百五十四条", "/laws/7772c5d4af34/1254/", "第一千二百五十四条"),
        ("刑法133条之一", "/laws/d2da5d066414/133-1/", "第一百三十三条之一"),
        ("劳动合同法 第82条", "/laws/2fba77247a80/82/", "第八十二条"),
        ("勞動合同法第八十二條", "/laws/2fba77247a80/82/", "第八十二条"),
    ],
)
def test_a_cited_article_comes_first_in_the_api(client, indexed, query, url, article_no):
    answer = client.get("/api/search/", {"q": query}).json()

    first = answer["results"][0]
    assert (first["url"], first["article_no"]) == (url, article_no)
    assert answer["total"] >= 1
    assert [r["url"] for r in answer["results"]].count(url) == 1


def test_the_search_page_shows_the_cited_article_first(client, indexed):
    page = client.get("/search/", {"q": "民法典第1254条"}).content.decode()

    best = page.split('<article class="best-answer"', 1)[1].split("</h2>", 1)[0]
    assert 'href="/laws/7772c5d4af34/1254/">中华人民共和国民法典 第一千二百五十四条' in best


def test_a_citation_of_an_article_the_law_does_not_have_adds_nothing(client, indexed):
    answer = client.get("/api/search/", {"q": "民法典第9999条"}).json()

    assert "/laws/7772c5d4af34/9999/" not in [r["url"] for r in answer["results"]]
