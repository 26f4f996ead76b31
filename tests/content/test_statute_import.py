"""Importing the statute library: from the shipped data file (a few laws; the whole corpus once,
marked slow), idempotently, with the corpus quirks handled, and rebuilding the data file."""

import io
import sqlite3

import pytest
from django.core.management import CommandError, call_command

from content.models import Statute, StatuteArticle
from content.statute_verification import verify_library
from content.statutes import (
    STATUTE_DATA_FILE,
    import_statutes,
    read_corpus,
    select_laws,
    short_name_of,
    statutes_imported,
    write_corpus,
)

pytestmark = pytest.mark.django_db

PIPL = "中华人民共和国个人信息保护法"


def corpus_law(name, status=None):
    laws, _missing = select_laws(read_corpus(), [name])
    return next(law for law in laws if status is None or law["status"] == status)


def tiny_law(**overrides):
    law = {
        "law_id": "tiny00000001",
        "name": "中华人民共和国测试导入法",
        "doc_type": "法律",
        "level": "法律",
        "issuing_body": "全国人民代表大会常务委员会",
        "department": "行政法",
        "publish_date": "2024-01-01",
        "effective_date": "2024-03-01",
        "version_date": "2024-01-01",
        "status": "现行有效",
        "articles": [
            {"label": "第一条", "number": 1, "chapter": "第一章 总则", "section": "", "text": "甲"},
            {"label": "第二条", "number": 2, "chapter": "第一章 总则", "section": "", "text": "乙"},
            {"label": "第三条", "number": 3, "chapter": "第二章 附则", "section": "", "text": "丙"},
        ],
    }
    law.update(overrides)
    return law


def test_import_of_one_law_matches_the_data_file():
    result = import_statutes(laws=["个人信息保护法"])

    source = corpus_law(PIPL)
    statute = Statute.objects.get()
    assert result.statutes_created == 1
    assert statute.law_id == source["law_id"]
    assert statute.name == PIPL
    assert statute.short_name == "个人信息保护法"
    assert statute.level == "法律"
    assert statute.issuing_body == "全国人民代表大会常务委员会"
    assert statute.status == Statute.Status.IN_FORCE
    assert str(statute.effective_date) == "2021-11-01"
    articles = list(statute.articles.order_by("position"))
    assert len(articles) == len(source["articles"]) == result.articles_created
    assert [a.text for a in articles] == [a["text"] for a in source["articles"]]
    assert articles[0].label == "第一条" and articles[0].number == 1
    assert articles[0].chapter == "第一章 总则"


def test_second_import_finds_nothing_to_change():
    import_statutes(laws=["个人信息保护法", "中华人民共和国宪法"])
    article_ids = set(StatuteArticle.objects.values_list("pk", flat=True))

    again = import_statutes(laws=["个人信息保护法", "中华人民共和国宪法"])

    assert (again.statutes_created, again.statutes_updated) == (0, 0)
    assert again.statutes_unchanged == 3  # 宪法 twice: the 1982 version and the current one
    assert (again.articles_created, again.articles_updated, again.articles_deleted) == (0, 0, 0)
    assert again.versions_linked == 0
    assert set(StatuteArticle.objects.values_list("pk", flat=True)) == article_ids


def test_reimport_updates_changed_rows_and_drops_articles_no_longer_in_the_file(tmp_path):
    data_file = tmp_path / "statutes.jsonl.xz"
    write_corpus([tiny_law()], data_file)
    import_statutes(data_file)
    first = StatuteArticle.objects.get(position=1)

    changed = tiny_law(status="已废止", effective_date="2024-04-01")
    changed["articles"][1]["text"] = "乙（修改后）"
    del changed["articles"][2]
    write_corpus([changed], data_file)
    result = import_statutes(data_file)

    statute = Statute.objects.get()
    assert (result.statutes_updated, result.articles_updated, result.articles_deleted) == (1, 1, 1)
    assert statute.status == Statute.Status.REPEALED
    assert str(statute.effective_date) == "2024-04-01"
    assert list(statute.articles.values_list("text", flat=True)) == ["甲", "乙（修改后）"]
    assert StatuteArticle.objects.get(position=1).pk == first.pk  # untouched rows stay


def test_an_import_tells_listeners_which_laws_changed(tmp_path, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, law_ids, **kwargs):
        received.append(set(law_ids))

    statutes_imported.connect(listener)
    try:
        data_file = tmp_path / "statutes.jsonl.xz"
        other = tiny_law(law_id="tiny00000002", name="中华人民共和国另一部测试法")
        write_corpus([tiny_law(), other], data_file)
        with django_capture_on_commit_callbacks(execute=True):
            import_statutes(data_file)
        changed = tiny_law()
        changed["articles"][0]["text"] = "甲（修改后）"
        write_corpus([changed, other], data_file)
        with django_capture_on_commit_callbacks(execute=True):
            import_statutes(data_file)
        with django_capture_on_commit_callbacks(execute=True):
            import_statutes(data_file)  # nothing changed: nothing sent
    finally:
        statutes_imported.disconnect(listener)

    assert received == [{"tiny00000001", "tiny00000002"}, {"tiny00000001"}]


def test_laws_with_the_same_name_are_kept_apart_and_linked_to_the_version_in_force():
    import_statutes(laws=["中华人民共和国宪法"])

    current = Statute.objects.get(name="中华人民共和国宪法", status="现行有效")
    old = Statute.objects.get(name="中华人民共和国宪法", status="历史版本")
    assert old.current_version == current
    assert current.current_version is None
    assert list(current.older_versions.all()) == [old]
    assert old.articles.count() == len(corpus_law("中华人民共和国宪法", "历史版本")["articles"])


def test_a_repealed_law_without_a_successor_of_the_same_name_has_no_link():
    import_statutes(laws=["中华人民共和国噪声污染防治法"])

    statute = Statute.objects.get()
    assert statute.status == Statute.Status.REPEALED
    assert not statute.is_in_force
    assert statute.current_version is None


def test_repeated_article_numbers_and_whole_text_entries_are_kept():
    import_statutes(laws=["中华人民共和国刑法", "中华人民共和国刑法修正案（二）"])

    criminal_law = Statute.objects.get(name="中华人民共和国刑法")
    assert criminal_law.status == Statute.Status.AMENDED and criminal_law.is_in_force
    numbered_120 = criminal_law.articles.filter(number=120).order_by("position")
    assert [(a.label, a.key) for a in numbered_120][:3] == [
        ("第一百二十条", "120"),
        ("第一百二十条之一", "120-1"),
        ("第一百二十条之二", "120-2"),
    ]
    positions = list(criminal_law.articles.values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))

    whole = Statute.objects.get(name="中华人民共和国刑法修正案（二）").articles.get()
    assert whole.number is None
    assert whole.key == "item-1"
    assert whole.label == "全文"
    assert whole.text.startswith("为了惩治毁林开垦和乱占滥用林地的犯罪")


def test_short_names_drop_only_the_national_prefix():
    assert short_name_of("中华人民共和国民法典") == "民法典"
    assert short_name_of("全国人民代表大会常务委员会关于加强经济工作监督的决定") == (
        "全国人民代表大会常务委员会关于加强经济工作监督的决定"
    )


def test_command_reports_what_it_did():
    out = io.StringIO()
    call_command("import_statutes", laws=["个人信息保护法"], stdout=out, stderr=io.StringIO())
    assert "法律法规 1 部（新增 1，更新 0，未变 0）" in out.getvalue()

    out = io.StringIO()
    call_command("import_statutes", laws=["个人信息保护法"], stdout=out, stderr=io.StringIO())
    assert "条文新增 0，更新 0，删除 0" in out.getvalue()


def test_an_unknown_law_name_is_a_clear_error_and_imports_nothing():
    with pytest.raises(CommandError, match="数据文件中没有这些法律：不存在的法"):
        call_command("import_statutes", laws=["个人信息保护法", "不存在的法"])
    assert not Statute.objects.exists()


def test_a_broken_data_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.jsonl.xz"
    broken.write_bytes(b"not xz at all")
    with pytest.raises(CommandError, match="无法读取数据文件"):
        call_command("import_statutes", file=str(broken))

    unknown_status = tmp_path / "status.jsonl.xz"
    write_corpus([tiny_law(status="失效")], unknown_status)
    with pytest.raises(CommandError, match="时效性“失效”无法识别"):
        call_command("import_statutes", file=str(unknown_status))

    twice = tmp_path / "twice.jsonl.xz"
    write_corpus([tiny_law(), tiny_law()], twice)
    with pytest.raises(CommandError, match="法规编号 tiny00000001 出现了两次"):
        call_command("import_statutes", file=str(twice))
    assert not Statute.objects.exists()


def test_build_statute_data_derives_the_file_from_a_laws_db(tmp_path):
    laws_db = tmp_path / "laws.db"
    connection = sqlite3.connect(laws_db)
    connection.executescript(
        """
        CREATE TABLE laws (law_id TEXT PRIMARY KEY, law_name TEXT NOT NULL, doc_type TEXT,
            level TEXT, issuing_body TEXT, publish_date TEXT, effective_date TEXT,
            version_date TEXT, status TEXT, law_department TEXT);
        CREATE TABLE articles (id INTEGER PRIMARY KEY, law_id TEXT NOT NULL,
            law_name TEXT NOT NULL, law_department TEXT, level TEXT, status TEXT, chapter TEXT,
            section TEXT, article_no TEXT, article_no_arabic INTEGER, article_text TEXT,
            char_count INTEGER);
        INSERT INTO laws VALUES ('a1', '中华人民共和国甲法', '法律', '法律', NULL,
            '2020-01-01', '2020-06-01', '2020-01-01', '现行有效', '行政法');
        INSERT INTO articles VALUES (2, 'a1', '中华人民共和国甲法', '行政法', '法律', '现行有效',
            '第一章 总则', NULL, '第二条', 2, '第二条的内容。', 7);
        INSERT INTO articles VALUES (1, 'a1', '中华人民共和国甲法', '行政法', '法律', '现行有效',
            '第一章 总则', NULL, '第一条', 1, '第一条的内容。', 7);
        INSERT INTO articles VALUES (3, 'a1', '中华人民共和国甲法', '行政法', '法律', '现行有效',
            NULL, NULL, '全文', NULL, '全文的内容。', 6);
        """
    )
    connection.commit()
    connection.close()
    output = tmp_path / "out.jsonl.xz"

    call_command("build_statute_data", str(laws_db), output=str(output), stdout=io.StringIO())

    [law] = read_corpus(output)
    assert law["name"] == "中华人民共和国甲法"
    assert law["issuing_body"] == "" and law["department"] == "行政法"
    assert [a["label"] for a in law["articles"]] == ["第一条", "第二条", "全文"]
    assert law["articles"][2]["number"] is None and law["articles"][2]["chapter"] == ""
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("build_statute_data", str(tmp_path / "missing.db"), output=str(output))


@pytest.mark.slow
def test_whole_corpus_imports_once_and_then_changes_nothing():
    first = import_statutes(STATUTE_DATA_FILE)

    assert Statute.objects.count() == 378 == first.statutes_created
    assert Statute.objects.in_force().count() == 353
    assert Statute.objects.filter(status="已废止").count() == 14
    assert Statute.objects.filter(status="历史版本").count() == 11
    assert StatuteArticle.objects.count() == 26196 == first.articles_created
    assert StatuteArticle.objects.filter(label="全文").count() == 25
    # 全文, 条目N and the 6 repeated treaty labels of one decision are addressed as items.
    assert StatuteArticle.objects.filter(item__isnull=False).count() == 405
    # Every historical version has a namesake in force; 11 links in all.
    assert Statute.objects.filter(status="历史版本", current_version__isnull=True).count() == 0
    assert first.versions_linked == Statute.objects.exclude(current_version=None).count()

    again = import_statutes(STATUTE_DATA_FILE)
    assert again.statutes_unchanged == 378
    assert (again.articles_created, again.articles_updated, again.articles_deleted) == (0, 0, 0)

    # The whole library against the source: laws, counts, texts with the headings taken out.
    verification = verify_library()
    assert verification.problems == []
    assert (verification.laws, verification.articles) == (378, 26196)
    assert (verification.headings_moved, verification.supplement_headings) == (38, 5)
    # 297 articles of the 生态环境法典, one of the 未成年人保护法, one of the 母婴保健法.
    assert verification.stray_spaces_removed == 299
    out = io.StringIO()
    call_command("verify_statutes", stdout=out)
    assert out.getvalue() == (
        "核对法律 378 部、条文 26,196 条；从条文末尾移入编章节结构的标题 38 个，"
        "补充标题 5 个；去掉多余空格的条文 299 条：每一条都与数据文件一致。\n"
    )
    civil_code = Statute.objects.get(name="中华人民共和国民法典")
    article_204 = civil_code.articles.get(number=204)
    assert (
        article_204.text
        == "期间的计算方法依照本法的规定，但是法律另有规定或者当事人另有约定的除外。"
    )
    assert article_204.path == ["第一编 总 则", "第十章 期间计算"]
    assert civil_code.articles.get(number=205).path == [
        "第二编 物 权",
        "第一分编 通 则",
        "第一章 一般规定",
    ]
    assert civil_code.articles.get(number=1260).path == ["附 则"]


def test_headings_glued_to_an_article_become_the_structure_of_the_next(tmp_path):
    law = tiny_law()
    law["articles"][1]["text"] = "乙\n第二编 分 则\n第一分编 通 则"
    data_file = tmp_path / "statutes.jsonl.xz"
    write_corpus([law], data_file)

    import_statutes(data_file)

    second, third = StatuteArticle.objects.filter(position__in=[2, 3]).order_by("position")
    assert second.text == "乙"
    assert second.path == ["第一章 总则"]
    assert third.path == ["第二编 分 则", "第一分编 通 则", "第二章 附则"]


def stray_space_library(tmp_path, text):
    """The tiny law imported with `text` as its first article; returns its data file."""
    law = tiny_law()
    law["articles"][0]["text"] = text
    data_file = tmp_path / "statutes.jsonl.xz"
    write_corpus([law], data_file)
    import_statutes(data_file)
    return data_file


def test_verification_counts_the_articles_that_lost_stray_spaces(tmp_path):
    data_file = stray_space_library(tmp_path, "城乡生活垃 圾收集、 处理")

    assert verify_library(data_file).stray_spaces_removed == 1


def test_verification_still_finds_a_word_that_differs_from_the_source(tmp_path):
    stray_space_library(tmp_path, "城乡生活垃 圾收集、 处理")
    law = tiny_law()
    law["articles"][0]["text"] = "城乡生活垃 圾收集、 运输"
    other_file = tmp_path / "other.jsonl.xz"
    write_corpus([law], other_file)

    problems = verify_library(other_file).problems

    assert "《中华人民共和国测试导入法》第一条：条文与数据文件不同" in problems


def test_a_corpus_whose_structure_cannot_be_read_imports_nothing(tmp_path):
    good = tiny_law(law_id="tiny00000002", name="中华人民共和国另一部测试法")
    bad = tiny_law()
    bad["articles"][2]["text"] = "丙\n附 则"  # a heading after the last article: under nothing
    data_file = tmp_path / "statutes.jsonl.xz"
    write_corpus([good, bad], data_file)

    with pytest.raises(
        CommandError, match="《中华人民共和国测试导入法》第三条：最后一条之后还有标题“附 则”"
    ):
        call_command("import_statutes", file=str(data_file))
    assert not Statute.objects.exists()
