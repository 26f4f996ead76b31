"""Over the whole statute library (26,196 articles): the citizen cases of the issue, ranked as
the search page and API rank them after `make run`. Slow by nature (one full index build)."""

import pytest

from content.statutes import read_corpus, short_name_of
from search import analysis
from search.engines.embedded import EmbeddedEngine
from search.query import parse_query
from search.service import answers
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


def ranked(engine, q):
    return [s.hit.document for s in answers(parse_query(q), engine=engine)[0]]


def first_laws(engine, q, n=3):
    return [doc.law_short_name for doc in ranked(engine, q)[:n]]


def test_every_article_is_indexed(library):
    engine, count = library
    assert count == engine.count() == 26196


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("網絡詐騙", {"反电信网络诈骗法"}),
        ("沉迷网络", {"未成年人保护法"}),
        ("邻居噪音扰民", {"生态环境法典", "民法典"}),  # not the repealed 噪声污染防治法
        ("高空抛物", {"刑法", "民法典"}),  # the crime, or the civil liability
        ("個人信息泄露", {"个人信息保护法", "民法典"}),
    ],
)
def test_the_right_law_comes_first(library, q, expected):
    engine, _ = library
    assert first_laws(engine, q)[0] in expected


@pytest.mark.parametrize(
    ("q", "law", "articles"),
    [
        ("工伤了老板不给报销医药费怎么办", "劳动争议调解仲裁法", {"第九条"}),
        ("物业不修电梯还要交物业费吗", "民法典", {"第九百四十四条", "第九百四十二条"}),
        ("公司不给交社保可以辞职要补偿吗", "劳动合同法", {"第三十八条", "第四十六条"}),
        ("家爆可以报警吗", "反家庭暴力法", {"第十三条", "第十五条"}),
    ],
)
def test_the_questions_of_the_issue_get_an_answering_article_in_the_first_three(
    library, q, law, articles
):
    engine, _ = library
    top = {(doc.law_short_name, doc.article_no) for doc in ranked(engine, q)[:3]}
    assert top & {(law, a) for a in articles}


@pytest.mark.parametrize(
    "q",
    [
        "量子纠缠",
        "今天武汉天气怎么样",
        "红烧肉怎么做才好吃",
        # Everyday words the library uses only in passing, no legal word among them.
        "空调不制冷怎么回事",
        "微信聊天记录怎么备份到电脑",
    ],
)
def test_nonsense_finds_nothing_in_the_whole_library(library, q):
    engine, _ = library
    assert ranked(engine, q) == []


def test_a_word_in_a_laws_title_does_not_outrank_the_answering_article(library):
    """公司 is in the name of the 公司法; the question is answered by the 劳动合同法."""
    engine, _ = library
    assert "公司法" not in first_laws(engine, "公司不给交社保可以辞职要补偿吗")


def test_goods_not_received_is_not_read_as_a_confiscation(library):
    """没收到货 is 没 + 收到货 (the parcel never came), not 没收 (confiscated) + 到货."""
    engine, _ = library
    assert first_laws(engine, "网购一直没收到货怎么办") == ["电子商务法", "电子商务法", "民法典"]
