"""Items already sent to channels are corrected when what they quote or link to changes under
them: a statute import (the real import_statutes command, on a modified copy of the 刑法) that
changes or removes an article an item cites sends its channels ``item.updated`` with the new
text and link, through the same corrections as a republished item; and `send_corrections`
re-sends, once, the items an older release sent with its old citation links."""

import io

import pytest
from django.core.management import call_command

from content.models import Statute
from distribution import services
from distribution.models import Delivery, Distribution
from tests.content.test_citation_changes import (
    DRUGGED_DRIVING,
    DRUNK_DRIVING,
    amend_133_1,
    article_of,
    citation,
    criminal_law_source,
    import_copy,
)
from tests.distribution.test_fanout import webhook_channels
from tests.factories import ArticlePageFactory

SITE = "http://testserver"  # the test settings' site address
LAW_URL = f"{SITE}/laws/d2da5d066414/"


@pytest.fixture
def criminal_law(transactional_db):
    call_command("import_statutes", laws=["刑法"], verbosity=0)
    return Statute.objects.get(law_id="d2da5d066414")


def published(topic, title, key):
    page = ArticlePageFactory(parent=topic, title=title, body=[citation(key)])
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def sent(criminal_law, topic, receiver, regions, editor, drain):
    """Two items sent to a webhook channel: one citing 危险驾驶罪 (133-1), one 交通肇事罪 (133)."""
    pages = {
        "dangerous": published(topic, "醉驾入刑，莫存侥幸", "133-1"),
        "accident": published(topic, "交通肇事逃逸", "133"),
    }
    webhook_channels(receiver, regions, count=1)
    for page in pages.values():
        services.distribute(page, editor, everywhere=True)
    drain()
    return pages


def corrections(receiver):
    return [m["data"] for _code, _id, m in receiver.messages if m["type"] == "item.updated"]


def test_an_import_changing_a_quoted_article_corrects_the_items_quoting_it_only(
    receiver, tmp_path, drain, sent
):
    original = article_of(criminal_law_source(), "第一百三十三条之一")["text"]

    import_copy(tmp_path, amend_133_1)
    drain()

    (item,) = corrections(receiver)
    assert item["id"] == sent["dangerous"].pk
    assert item["statutes"] == [
        {
            "law_id": "d2da5d066414",
            "name": "中华人民共和国刑法",
            "article": "第一百三十三条之一",
            "text": original.replace(DRUNK_DRIVING, DRUGGED_DRIVING),
            "url": f"{LAW_URL}133-1/",
        }
    ]
    correction = Distribution.objects.get(kind=Distribution.Kind.UPDATE)
    assert correction.deliveries.get().state == Delivery.State.DELIVERED


def test_an_article_gone_from_the_law_is_corrected_to_a_link_to_the_law(
    receiver, tmp_path, drain, sent
):
    def remove_133_1(law):
        law["articles"].remove(article_of(law, "第一百三十三条之一"))

    import_copy(tmp_path, remove_133_1)
    drain()

    (item,) = corrections(receiver)
    assert item["id"] == sent["dangerous"].pk
    assert [(s["article"], s["text"], s["url"]) for s in item["statutes"]] == [
        (None, None, LAW_URL)
    ]


def test_items_an_older_release_sent_with_position_links_are_corrected_once(
    receiver, drain, sent, criminal_law
):
    # What the release before article numbers sent: the citation linked by the article's
    # position in the law (/laws/<law>/<position>/), which now names another article.
    dangerous = Distribution.objects.get(page=sent["dangerous"])
    article = criminal_law.articles.get(number=133, sub_number=1)
    old = dangerous.payload
    old["statutes"][0]["url"] = f"{LAW_URL}{article.position}/"
    Distribution.objects.filter(pk=dangerous.pk).update(payload=old)

    first, again = io.StringIO(), io.StringIO()
    call_command("send_corrections", stdout=first)
    drain()
    call_command("send_corrections", stdout=again)
    drain()

    assert first.getvalue() == "已为 1 篇内容向 1 个渠道发送更正\n"
    assert again.getvalue() == "已为 0 篇内容向 0 个渠道发送更正\n"
    (item,) = corrections(receiver)
    assert (item["id"], item["statutes"][0]["url"]) == (sent["dangerous"].pk, f"{LAW_URL}133-1/")
