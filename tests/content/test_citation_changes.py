"""When a cited law changes: an import (the real import_statutes command, on a modified copy of
the 刑法) that changes, removes or repeals what a live page cites flags the page for editors
(引用的法条已变更, old and new text side by side), shows its readers a notice, and the notice
stays until an editor confirms the citation or publishes a revision citing the current text."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import PageLogEntry

from content import statute_structure
from content.citation_admin import marked_texts
from content.models import CitationChange, Statute, StatuteArticle
from content.roles import EDITORS, OFFICIALS
from content.statutes import read_corpus, select_laws, write_corpus
from search.models import PendingChange
from tests.factories import ArticlePageFactory, UserFactory

pytestmark = pytest.mark.django_db

CRIMINAL_LAW = "中华人民共和国刑法"
DRUNK_DRIVING = "（二）醉酒驾驶机动车的；"
DRUGGED_DRIVING = "（二）醉酒或者吸食毒品后驾驶机动车的；"
LIST_URL = "/admin/citation_changes/"


def criminal_law_source():
    laws, _missing = select_laws(read_corpus(), [CRIMINAL_LAW])
    return laws[0]


def import_copy(tmp_path, change):
    """Write the 刑法 as the data file has it, changed by `change(law)`, and import it with the
    real command; returns what the command printed."""
    law = criminal_law_source()
    change(law)
    path = tmp_path / "statutes.jsonl.xz"
    write_corpus([law], path)
    out = io.StringIO()
    call_command("import_statutes", file=str(path), laws=["刑法"], stdout=out, verbosity=1)
    return out.getvalue()


def article_of(law, label):
    return next(a for a in law["articles"] if a["label"] == label)


def amend_133_1(law):
    article = article_of(law, "第一百三十三条之一")
    article["text"] = article["text"].replace(DRUNK_DRIVING, DRUGGED_DRIVING)


def citation(key, note="", law_id="d2da5d066414"):
    return {
        "type": "statute_citation",
        "value": {"statute": law_id, "article": key, "note": note},
    }


def html(response):
    return response.content.decode()


@pytest.fixture
def criminal_law():
    call_command("import_statutes", laws=["刑法"], verbosity=0)
    return Statute.objects.get(name=CRIMINAL_LAW)


@pytest.fixture
def pages(topic, criminal_law, run_tasks):
    """A live page citing 危险驾驶罪 (133-1), one citing 交通肇事罪 (133), and a draft citing 133-1;
    Wagtail's reference index is kept by a background task."""
    pages = {
        "dangerous": ArticlePageFactory(
            parent=topic, title="醉驾入刑，莫存侥幸", body=[citation("133-1", "醉驾是犯罪")]
        ),
        "accident": ArticlePageFactory(parent=topic, title="交通肇事逃逸", body=[citation("133")]),
        "draft": ArticlePageFactory(
            parent=topic, title="尚未发布的醉驾稿件", live=False, body=[citation("133-1")]
        ),
    }
    run_tasks()
    return pages


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", first_name="编辑小李", groups=[EDITORS])
    client.force_login(user)
    return user


def test_an_import_that_changes_a_cited_article_flags_the_live_page_citing_it(pages, tmp_path):
    original = article_of(criminal_law_source(), "第一百三十三条之一")["text"]

    printed = import_copy(tmp_path, amend_133_1)

    flag = CitationChange.objects.get()
    assert flag.page_id == pages["dangerous"].pk
    assert (flag.article_key, flag.article_label) == ("133-1", "第一百三十三条之一")
    assert flag.kind == CitationChange.Kind.CHANGED
    assert flag.old_text == original
    assert flag.new_text == original.replace(DRUNK_DRIVING, DRUGGED_DRIVING)
    assert flag.is_open
    assert "引用的法条已变更：1 个页面、1 处引用已标记" in printed


def test_readers_see_a_notice_on_the_flagged_page_only(client, pages, tmp_path):
    import_copy(tmp_path, amend_133_1)

    flagged = html(client.get(pages["dangerous"].url))
    other = html(client.get(pages["accident"].url))

    assert "本文引用的法条有变化" in flagged
    assert (
        '<li><a href="/laws/d2da5d066414/133-1/">《中华人民共和国刑法》第一百三十三条之一</a>'
        "：条文已修改</li>" in flagged
    )
    assert (
        "醉酒或者吸食毒品后驾驶机动车" in flagged
    )  # the quote is the library's text as it now reads
    assert "本文引用的法条有变化" not in other


def test_editors_see_the_flag_with_the_old_and_new_text_side_by_side(
    client, pages, tmp_path, editor
):
    import_copy(tmp_path, amend_133_1)
    flag = CitationChange.objects.get()

    listing = html(client.get(LIST_URL))
    inspect = html(client.get(f"{LIST_URL}inspect/{flag.pk}/"))

    assert "引用的法条已变更" in listing
    assert f'href="/admin/citation_changes/inspect/{flag.pk}/"' in listing
    assert "醉驾入刑，莫存侥幸" in listing
    assert "《中华人民共和国刑法》第一百三十三条之一" in listing
    assert "（二）醉酒<ins>或者吸食毒品后</ins>驾驶机动车的；" in listing
    assert "原条文（导入前）" in inspect and "新条文（导入后）" in inspect
    assert "（二）醉酒<ins>或者吸食毒品后</ins>驾驶机动车的；" in inspect
    assert f"/admin/citation_changes/confirm/{flag.pk}/" in inspect


def test_the_changed_characters_are_marked_and_everything_else_escaped():
    old, new = marked_texts("甲<b>乙\n丙", "甲<b>丁\n丙")

    assert old == "甲&lt;b&gt;<del>乙</del><br>丙"
    assert new == "甲&lt;b&gt;<ins>丁</ins><br>丙"


def test_the_page_history_records_the_flag(pages, tmp_path):
    import_copy(tmp_path, amend_133_1)

    entry = PageLogEntry.objects.get(page=pages["dangerous"], action="content.citation_flagged")
    assert entry.message == (
        "法律法规库更新：本页引用的《中华人民共和国刑法》第一百三十三条之一条文已修改，"
        "读者会看到变更提示"
    )


def test_an_editor_confirms_the_citation_and_the_notice_goes(client, pages, tmp_path, editor):
    import_copy(tmp_path, amend_133_1)
    flag = CitationChange.objects.get()

    asked = client.get(f"{LIST_URL}confirm/{flag.pk}/")
    response = client.post(f"{LIST_URL}confirm/{flag.pk}/", follow=True)

    assert "已核对，引用不变" in html(asked)
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "已确认：“醉驾入刑，莫存侥幸”仍引用第一百三十三条之一，读者不再看到变更提示。" in html(
        response
    )
    flag.refresh_from_db()
    assert flag.resolution == CitationChange.Resolution.CONFIRMED
    assert flag.resolved_by == editor
    entry = PageLogEntry.objects.get(page=pages["dangerous"], action="content.citation_confirmed")
    assert entry.user == editor
    assert "本文引用的法条有变化" not in html(client.get(pages["dangerous"].url))
    assert "醉驾入刑，莫存侥幸" not in html(client.get(LIST_URL + "?state=open"))


def test_a_new_revision_citing_the_current_text_clears_the_flag(pages, tmp_path, editor, client):
    import_copy(tmp_path, amend_133_1)
    page = pages["dangerous"]

    page.save_revision(user=editor).publish()

    flag = CitationChange.objects.get()
    assert flag.resolution == CitationChange.Resolution.UPDATED
    assert flag.resolved_by == editor
    assert PageLogEntry.objects.filter(page=page, action="content.citation_updated").count() == 1
    assert "本文引用的法条有变化" not in html(client.get(page.url))


def test_publishing_a_revision_saved_before_the_change_does_not_clear_it(pages, tmp_path, editor):
    page = pages["dangerous"]
    earlier = page.save_revision(user=editor)
    import_copy(tmp_path, amend_133_1)

    earlier.publish()

    assert CitationChange.objects.get().is_open


def test_a_removed_article_is_flagged_and_a_revision_citing_another_clears_it(
    client, pages, tmp_path, editor
):
    def remove_133_1(law):
        law["articles"].remove(article_of(law, "第一百三十三条之一"))

    import_copy(tmp_path, remove_133_1)
    page = pages["dangerous"]

    flag = CitationChange.objects.get()
    assert (flag.kind, flag.new_text) == (CitationChange.Kind.REMOVED, "")
    notice = html(client.get(page.url))
    assert (
        '<li><a href="/laws/d2da5d066414/">《中华人民共和国刑法》第一百三十三条之一</a>'
        "：条文已删除</li>" in notice
    )
    page.body = [citation("133")]
    page.save_revision(user=editor).publish()
    flag.refresh_from_db()
    assert flag.resolution == CitationChange.Resolution.UPDATED


def test_a_repealed_law_flags_every_live_page_citing_it(pages, tmp_path):
    def repeal(law):
        law["status"] = "已废止"

    import_copy(tmp_path, repeal)

    flags = CitationChange.objects.order_by("article_key")
    assert [(f.page_id, f.article_key, f.kind) for f in flags] == [
        (pages["accident"].pk, "133", CitationChange.Kind.REPEALED),
        (pages["dangerous"].pk, "133-1", CitationChange.Kind.REPEALED),
    ]
    assert (
        flags[1].old_text
        == flags[1].new_text
        == StatuteArticle.objects.get(statute__law_id="d2da5d066414", number=133, sub_number=1).text
    )


def test_a_second_change_updates_the_open_flag_and_keeps_the_first_text(pages, tmp_path):
    original = article_of(criminal_law_source(), "第一百三十三条之一")["text"]
    import_copy(tmp_path, amend_133_1)

    def amend_again(law):
        amend_133_1(law)
        article = article_of(law, "第一百三十三条之一")
        article["text"] = article["text"].replace("处拘役", "处六个月以下拘役")

    import_copy(tmp_path, amend_again)

    flag = CitationChange.objects.get()
    assert flag.old_text == original
    assert flag.new_text.startswith("在道路上驾驶机动车，有下列情形之一的，处六个月以下拘役")


def test_an_import_that_only_takes_a_glued_heading_out_flags_nothing(pages, criminal_law):
    """A library imported before headings became structure had them in the article's text."""
    article = criminal_law.articles.get(number=133, sub_number=1)
    StatuteArticle.objects.filter(pk=article.pk).update(text=article.text + "\n第三章 测试")

    call_command("import_statutes", laws=["刑法"], verbosity=0)

    assert criminal_law.articles.get(pk=article.pk).text == article.text
    assert CitationChange.objects.exists() is False


ECOLOGY_CODE = "e37bfe4bff63"  # 中华人民共和国生态环境法典, whose source has stray spaces
WASTE_FACILITIES = (
    "建设城乡生活垃圾收集、运输、处理设施"  # the source: "生活垃 圾收集、运输、 处理"
)


@pytest.fixture
def waste_page(topic, run_tasks, monkeypatch):
    """A live page citing 生态环境法典 第五百零二条, on a library imported before stray spaces
    were taken out (by the importer as it was, keeping them)."""
    with monkeypatch.context() as old_importer:
        old_importer.setattr(statute_structure, "remove_stray_spaces", lambda text: text)
        call_command("import_statutes", laws=["生态环境法典"], verbosity=0)
    page = ArticlePageFactory(
        parent=topic, title="生活垃圾分类，从我做起", body=[citation("502", law_id=ECOLOGY_CODE)]
    )
    run_tasks()
    return page


def test_a_reimport_taking_stray_spaces_out_updates_the_text(waste_page):
    call_command("import_statutes", laws=["生态环境法典"], verbosity=0)

    article = StatuteArticle.objects.get(statute__law_id=ECOLOGY_CODE, number=502)
    assert WASTE_FACILITIES in article.text


def test_a_reimport_taking_stray_spaces_out_flags_nothing(waste_page):
    printed = io.StringIO()
    call_command("import_statutes", laws=["生态环境法典"], stdout=printed, verbosity=1)

    assert CitationChange.objects.exists() is False
    assert "引用的法条已变更" not in printed.getvalue()


def test_a_reimport_that_also_changes_the_words_flags_the_page(waste_page, tmp_path):
    laws, _missing = select_laws(read_corpus(), ["生态环境法典"])
    article = article_of(laws[0], "第五百零二条")
    article["text"] = article["text"].replace("逐步建立健全", "加快建立健全")
    path = tmp_path / "statutes.jsonl.xz"
    write_corpus(laws, path)

    call_command("import_statutes", file=str(path), laws=["生态环境法典"], verbosity=0)

    flag = CitationChange.objects.get()
    assert (flag.page_id, flag.kind) == (waste_page.pk, CitationChange.Kind.CHANGED)


def test_a_flagged_page_is_queued_for_search_with_its_new_quote(
    pages, tmp_path, django_capture_on_commit_callbacks
):
    PendingChange.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        import_copy(tmp_path, amend_133_1)

    assert PendingChange.objects.filter(key=f"page:{pages['dangerous'].pk}").exists()


def test_flags_are_not_added_edited_or_deleted_by_hand(client, pages, tmp_path):
    import_copy(tmp_path, amend_133_1)
    flag = CitationChange.objects.get()
    client.force_login(UserFactory(username="root", is_superuser=True))

    for url in (f"{LIST_URL}new/", f"{LIST_URL}edit/{flag.pk}/", f"{LIST_URL}delete/{flag.pk}/"):
        assert client.get(url).status_code == 302, url  # refused: back to the admin home
    assert CitationChange.objects.get().is_open


def test_officials_neither_see_nor_confirm_flags(client, pages, tmp_path):
    import_copy(tmp_path, amend_133_1)
    flag = CitationChange.objects.get()
    client.force_login(UserFactory(username="official", groups=[OFFICIALS]))

    assert client.get(LIST_URL).status_code == 302
    assert client.post(f"{LIST_URL}confirm/{flag.pk}/").status_code == 302
    assert CitationChange.objects.get().is_open


def test_the_admin_home_lists_the_flags_waiting(client, pages, tmp_path, editor):
    import_copy(tmp_path, amend_133_1)

    home = html(client.get("/admin/"))

    assert "1 处引用的法条已变更，待核对" in home
    assert "醉驾入刑，莫存侥幸" in home
