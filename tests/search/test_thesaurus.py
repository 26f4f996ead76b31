"""The citizen-word thesaurus: the maintained file (every entry with its source, checked against
the statute library), entries editors add or switch off in the admin, and how a change reaches
every process without a rebuild."""

import functools
import subprocess
import sys
import textwrap
from collections import Counter

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from bench import _search_eval as evaluation
from content.statutes import read_corpus
from search import thesaurus_store
from search.analysis import fold
from search.models import ThesaurusEntry
from search.query import parse_query
from search.thesaurus import Entry, Thesaurus, file_entries, parse_line
from tests.processes import child_environment


@functools.cache
def corpus():
    return evaluation.corpus_index(read_corpus())


def test_the_file_has_a_broad_set_of_entries():
    assert len(file_entries()) >= 250


def test_every_entry_names_its_source():
    assert [e.spoken for e in file_entries() if not e.source] == []


def test_no_everyday_word_has_two_entries_in_the_file():
    # A later line silently overrides an earlier one for the same word: one of them is lost.
    words = Counter(fold(word) for entry in file_entries() for word in entry.spoken)
    assert [word for word, times in words.items() if times > 1] == []


def test_every_source_is_an_article_in_force_that_uses_one_of_its_legal_terms():
    texts = {
        (a.law_name.removeprefix("中华人民共和国"), a.label): text
        for law in read_corpus()
        for a, text in (
            (evaluation.Article(law["law_id"], law["name"], art["label"]), art["text"])
            for art in law["articles"]
        )
    }
    wrong = []
    for entry in file_entries():
        articles = evaluation.resolve(entry.source, corpus())
        if len(articles) != 1:
            wrong.append((entry.spoken, entry.source, "no such article"))
            continue
        (article,) = articles
        text = texts[(article.law_name.removeprefix("中华人民共和国"), article.label)]
        if not any(term in text for term in entry.legal):
            wrong.append((entry.spoken, entry.source, "uses none of its terms"))
    assert wrong == []


def test_a_line_is_parsed_into_words_terms_and_source():
    entry = parse_line("老板, 东家 => 用人单位、雇主 | 劳动合同法 第2条")
    assert entry == Entry(("老板", "东家"), ("用人单位", "雇主"), "劳动合同法 第2条")
    assert parse_line("# a comment") is None
    assert parse_line("no arrow here") is None


def test_an_editors_entry_overrides_the_files_and_switched_off_removes_it():
    base = Thesaurus([Entry(("老板",), ("用人单位",))])
    assert base.alternatives("老板") == ("用人单位",)
    changed = Thesaurus([Entry(("老板",), ("用人单位",)), Entry(("老板",), ("雇主",))])
    assert changed.alternatives("老板") == ("雇主",)
    removed = Thesaurus([Entry(("老板",), ("用人单位",)), Entry(("老板",), ("x",), active=False)])
    assert removed.alternatives("老板") == ()


@pytest.mark.django_db
def test_an_entry_saved_in_the_admin_is_used_by_the_next_search():
    assert "非全日制用工" not in [
        t.text for t in parse_query("打零工", thesaurus_store.current()).terms
    ]
    ThesaurusEntry.objects.create(spoken="打零工", legal="非全日制用工", source="劳动合同法 第68条")
    terms = [t.text for t in parse_query("打零工", thesaurus_store.current()).terms]
    assert "非全日制用工" in terms


@pytest.mark.django_db
def test_an_entry_needs_words_on_both_sides():
    entry = ThesaurusEntry(spoken=" , ", legal="")
    with pytest.raises(ValidationError) as raised:
        entry.full_clean()
    assert set(raised.value.message_dict) >= {"spoken", "legal"}


@pytest.mark.django_db(transaction=True)
def test_another_process_sees_an_editors_entry_without_a_rebuild():
    """Two processes: this one (a web process that has searched already) and a second one
    started fresh; both read the editor's entry, neither rebuilds anything."""
    thesaurus_store.current()  # this process has its copy
    ThesaurusEntry.objects.create(spoken="打零工", legal="非全日制用工", source="劳动合同法 第68条")
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from search import thesaurus_store
        from search.query import parse_query
        plan = parse_query("打零工", thesaurus_store.current())
        print(",".join(t.text for t in plan.terms))
        """
    )
    other = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=child_environment(),
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert "非全日制用工" in other.stdout.strip().split(",")
    thesaurus_store.forget()
    assert "非全日制用工" in [
        t.text for t in parse_query("打零工", thesaurus_store.current()).terms
    ]
