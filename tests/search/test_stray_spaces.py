"""A phrase the source splits with a stray space ("分 层剥离") is found: the library holds the
article without the space, and the index is built from the library."""

import pytest

from content.statutes import import_statutes
from search import indexing

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(site_index):
    import_statutes(laws=["生态环境法典"])
    indexing.rebuild(progress=False)


def test_a_phrase_that_spanned_a_stray_space_finds_its_article(client, indexed):
    answer = client.get("/api/search/", {"q": "地表土分层剥离"}).json()

    assert answer["results"][0]["url"] == "/laws/e37bfe4bff63/904/"
