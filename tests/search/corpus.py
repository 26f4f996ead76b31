"""Test data for search: a few laws cut from the shipped statute corpus, and a few pages, as
SearchDocuments (no database needed), so the conformance suite can index them in any engine."""

import datetime
from types import SimpleNamespace

from content.citations import ArticleRef
from content.statutes import law_articles, read_corpus, short_name_of
from search.documents import ARTICLE, VIDEO, SearchDocument, statute_document

# Four laws in force and one repealed (replaced by the 生态环境法典), about 430 articles.
LAWS = ["反电信网络诈骗法", "未成年人保护法", "劳动合同法", "消费者权益保护法", "噪声污染防治法"]
REPEALED_LAW = "噪声污染防治法"


def subset_laws():
    return [law for law in read_corpus() if short_name_of(law["name"]) in LAWS]


def law_documents(laws):
    for law in laws:
        effective = law.get("effective_date")
        statute = SimpleNamespace(
            law_id=law["law_id"],
            name=law["name"],
            short_name=short_name_of(law["name"]),
            level=law["level"],
            status=law["status"],
            effective_date=datetime.date.fromisoformat(effective) if effective else None,
        )
        for values in law_articles(law):
            ref = ArticleRef(values["number"], values["sub_number"], values["item"])
            yield statute_document(SimpleNamespace(key=ref.key, **values), statute)


def page(key, kind, title, body, topic="", published="2026-11-01"):
    return SearchDocument(
        key=f"page:{key}",
        type=kind,
        title=title,
        body=body,
        url=f"/demo/{key}/",
        topic=topic,
        published=published,
    )


PAGES = [
    page(
        1,
        ARTICLE,
        "警惕新型电信网络诈骗",
        "冒充客服、刷单返利、虚假投资理财是常见的骗局。接到陌生来电要求转账，请立即挂断并拨打110。",
        topic="反电信网络诈骗",
    ),
    page(
        2,
        ARTICLE,
        "老年人防范养老骗局",
        "以养老服务为名非法集资，往往许诺高额回报。子女要多陪伴老人，识破诈骗套路。",
        topic="老年人权益",
    ),
    page(
        3,
        VIDEO,
        "孩子沉迷网络游戏怎么办",
        "家长应当引导未成年人合理使用网络，预防沉迷网络。学校和家庭要互相配合。",
        topic="未成年人保护",
    ),
    page(
        4,
        ARTICLE,
        "租房押金不退，怎么维权",
        "租赁合同约定的押金，租期届满且承租人无违约的，出租人应当退还。",
        topic="民事权益",
    ),
]
