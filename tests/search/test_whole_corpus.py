"""Over the whole statute library (26,196 articles): the citizen cases of the issue, as the
portal answers them after `make run`. Slow by nature (one full index build)."""

import pytest

from content.statutes import read_corpus, short_name_of
from search import analysis
from search.analysis import parse_query
from search.engines.embedded import EmbeddedEngine
from tests.search.corpus import law_documents

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    laws = list(read_corpus())
    names = {analysis.fold(n) for law in laws for n in (law["name"], short_name_of(law["name"]))}
    analysis.reset_segmenter(law_names=names)
    engine = EmbeddedEngine(tmp_path_factory.mktemp("library"))
    count = engine.rebuild(law_documents(laws))
    yield engine, count
    analysis.reset_segmenter(law_names=names)


def first_laws(engine, q, n=3):
    return [h.document.law_short_name for h in engine.search(parse_query(q), limit=n).hits]


def test_every_article_is_indexed(library):
    engine, count = library
    assert count == engine.count() == 26196


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("網絡詐騙", {"反电信网络诈骗法"}),
        ("沉迷网络", {"未成年人保护法"}),
        ("邻居噪音扰民", {"生态环境法典"}),  # not the repealed 噪声污染防治法
        ("高空抛物", {"刑法", "民法典"}),  # the crime, or the civil liability
        ("個人信息泄露", {"个人信息保护法"}),
    ],
)
def test_the_right_law_comes_first(library, q, expected):
    engine, _ = library
    assert first_laws(engine, q)[0] in expected


def test_nonsense_finds_nothing_in_the_whole_library(library):
    engine, _ = library
    assert engine.search(parse_query("量子纠缠")).total == 0
