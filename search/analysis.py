"""The portal's one Chinese text analyser, used when indexing (both engines' documents), when
querying (every engine), for the admin's search backend and for highlighting.

Text is folded first (traditional → simplified with OpenCC, full-width → half-width, lower case),
always character for character, so that offsets in the folded text are offsets in the original.
Indexed text becomes character bigrams (so a two-character word inside a sentence is found even
when no dictionary knows it), jieba words (so whole words score higher) and single characters.
A query becomes groups of alternatives (a word and its synonyms), with stop words dropped."""

import functools
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import rjieba

from content.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"

# Han characters (CJK unified ideographs, extension A, compatibility) or runs of Latin/digits.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN_RE = re.compile(rf"[{HAN}]+|[a-z0-9]+(?:\.[0-9]+)?")
HAN_RE = re.compile(rf"^[{HAN}]+$")

# Overlapping Han bigrams, and what stands alone: a lone Han character, a Latin/digit word.
BIGRAM_RE = re.compile(rf"(?=([{HAN}]{{2}}))")
SINGLE_RE = re.compile(rf"(?<![{HAN}])[{HAN}](?![{HAN}])|[a-z0-9]+(?:\.[0-9]+)?")

# Characters that carry no meaning on their own: never indexed or searched as single characters.
STOP_CHARS = frozenset("的了是在和与及或等之其而着过吗呢吧啊呀嘛么也都就还又再很不没")

# Longest stored query: longer input is cut here (a pasted paragraph still searches sensibly).
MAX_QUERY_CHARS = 100


def _read_lines(name):
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# Stop words and synonyms ---------------------------------------------------------------------


@functools.cache
def query_stop_words():
    """Words of how people ask (怎么办, 如何, 我) that say nothing about the subject."""
    return frozenset(fold(w) for w in _read_lines("query_stop_words.txt"))


@functools.cache
def synonyms():
    """How citizens say it → how the law says it: {"租房": ("租赁",), ...} from synonyms.txt,
    lines of the form `租房 => 租赁, 承租`."""
    table = {}
    for line in _read_lines("synonyms.txt"):
        spoken, _, legal = line.partition("=>")
        alternatives = tuple(fold(w.strip()) for w in legal.split(",") if w.strip())
        for word in spoken.split(","):
            if word.strip():
                table[fold(word.strip())] = alternatives
    return table


@functools.cache
def legal_terms():
    return tuple(fold(w) for w in _read_lines("legal_terms.txt"))


# Segmentation --------------------------------------------------------------------------------


class Segmenter:
    """jieba with our user dictionary: every law name, legal terms and the synonym keys, so that
    民法典 or 高空抛物 stay one word."""

    USER_WORD_FREQ = 200_000

    def __init__(self, law_names=()):
        self.jieba = rjieba.Jieba()
        words = [*legal_terms(), *synonyms(), *(w for alts in synonyms().values() for w in alts)]
        self.user_words = frozenset(w for w in [*words, *law_names] if len(w) >= 2)
        for word in self.user_words:
            self.jieba.add_word(word, self.USER_WORD_FREQ, "n")
        self.law_names = tuple(sorted(set(law_names), key=len, reverse=True))

    def add_law_names(self, names):
        names = {n for n in names if len(n) >= 2} - set(self.law_names)
        for name in names:
            self.jieba.add_word(name, self.USER_WORD_FREQ, "n")
        self.user_words = self.user_words | names
        self.law_names = tuple(sorted({*self.law_names, *names}, key=len, reverse=True))

    def words(self, folded):
        """Precise-mode words of folded text (for queries)."""
        return self.jieba.cut(folded)

    def query_words(self, folded):
        """Words of a query: a long word jieba made up itself (拖欠工资) is split into the words
        inside it (拖欠, 工资), so each can match on its own or through its synonyms; words of
        our dictionary (law names, legal terms) stay whole."""
        for word in self.words(folded):
            if len(word) < 3 or word in self.user_words:
                yield word
                continue
            yield from self._cover(word)

    def _cover(self, word):
        """The longest known sub-word at each position, left to right, without overlaps
        (产品质量 → 产品, 质量, not 品质); the whole word when the pieces don't cover it."""
        parts = {w for w in self.search_words(word) if 2 <= len(w) < len(word)}
        pieces, i = [], 0
        while i < len(word):
            piece = max((p for p in parts if word.startswith(p, i)), key=len, default=None)
            if piece is None:
                return [word]
            pieces.append(piece)
            i += len(piece)
        return pieces

    def search_words(self, folded):
        """Search-mode words (a long word and the shorter words inside it), for indexing."""
        return self.jieba.cut_for_search(folded)


_segmenter = None


def segmenter():
    """The process's segmenter, with the law names of the statute library in its dictionary."""
    global _segmenter
    if _segmenter is None:
        _segmenter = Segmenter(law_names=_law_names_from_library())
    return _segmenter


def add_law_names(names):
    """New laws in the library (after an import): their names become words of the dictionary
    of a segmenter already loaded (one not loaded yet reads them from the library)."""
    if _segmenter is not None:
        _segmenter.add_law_names(fold(n) for n in names if n)


def reset_segmenter(law_names=None):
    """Rebuild the dictionary (after a statute import, or in tests)."""
    global _segmenter
    _segmenter = Segmenter(law_names=law_names) if law_names is not None else None


def _law_names_from_library():
    from django.db import DatabaseError

    from content.models import Statute

    try:
        names = Statute.objects.values_list("name", "short_name")
        return {fold(n) for pair in names for n in pair if n}
    except DatabaseError:  # no table yet (before migrate): the dictionary fills in later
        return set()


# Indexing side -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexTokens:
    """The token streams of one text, each space-joined for a whitespace-tokenised field."""

    grams: str  # Han bigrams in text order (a word is the phrase of its bigrams), then lone
    # characters and Latin/digit words
    words: str = ""  # jieba search-mode words of three characters or more


def grams_of(run):
    """A Han word as its bigrams (one character alone stays itself); Latin/digits stay whole."""
    if not HAN_RE.match(run) or len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def runs(folded):
    return RUN_RE.findall(folded)


def index_tokens(text, words=False):
    """Tokens of a text; `words` adds jieba's words (worth it for short texts such as titles,
    where a whole-word match should count more)."""
    folded = fold(text or "")
    grams = " ".join(BIGRAM_RE.findall(folded))
    singles = " ".join(t for t in SINGLE_RE.findall(folded) if t not in STOP_CHARS)
    tokens = IndexTokens(grams=f"{grams} {singles}" if singles else grams)
    if words:
        found = segmenter().search_words(folded)
        tokens = IndexTokens(tokens.grams, " ".join(w for w in found if len(w) > 2))
    return tokens


def analyzed_text(text):
    """All tokens of a text in one space-joined string: for stores that tokenise on spaces, such
    as SQLite's FTS5 behind Wagtail's admin search. Single characters are included, so that a
    one-character search finds something too."""
    folded = fold(text or "")
    chars = [c for c in folded if HAN_RE.match(c) and c not in STOP_CHARS]
    return " ".join([index_tokens(text).grams, *chars])


# Query side ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One searchable unit of a query: a Han word (matched as the phrase of its bigrams), a
    single Han character, or a Latin/digit token."""

    text: str

    @property
    def is_han(self):
        return bool(HAN_RE.match(self.text))

    @property
    def grams(self):
        return grams_of(self.text)


@dataclass(frozen=True)
class QueryPlan:
    """What a citizen's query means to every engine: groups of alternative terms (a word and its
    synonyms), how many groups a document must match, and laws the query names."""

    text: str  # the query as typed (cut to MAX_QUERY_CHARS)
    folded: str
    groups: tuple[tuple[Term, ...], ...] = ()
    law_names: tuple[str, ...] = ()  # folded law names found in the query
    relaxed: bool = False  # see relax()

    @property
    def is_empty(self):
        return not self.groups

    @property
    def minimum_should_match(self):
        """Every group of a short query; all but a third of a long one, so that one stray word
        in a long question does not empty the results, while nonsense still finds nothing.
        A relaxed plan asks for half."""
        n = len(self.groups)
        if self.relaxed:
            return max(1, math.ceil(n / 2))
        return n if n <= 2 else n - math.floor(n / 3)

    def relax(self):
        """The same query asking for fewer of its words (for a question whose words all occur
        in the library, but never together)."""
        return replace(self, relaxed=True)

    def group_alone(self, index):
        return replace(self, groups=(self.groups[index],), law_names=(), relaxed=False)

    @property
    def changed_script(self):
        """True when folding changed the query (it was traditional or full-width)."""
        return self.folded != self.text.lower()

    @property
    def terms(self):
        return [term for group in self.groups for term in group]


def parse_query(text):
    """Turn whatever a user typed into a QueryPlan; never raises, never treats input as syntax."""
    text = (text or "").strip()[:MAX_QUERY_CHARS]
    folded = fold(text)
    seg = segmenter()
    stop = query_stop_words()
    syn = synonyms()
    groups, seen = [], set()
    for run in runs(folded):
        words = seg.query_words(run) if HAN_RE.match(run) else [run]
        for word in words:
            if word in stop or word in seen or (len(word) == 1 and word in STOP_CHARS):
                continue
            seen.add(word)
            alternatives = dict.fromkeys((word, *syn.get(word, ())))
            groups.append(tuple(Term(w) for w in alternatives))
    groups = _merge_single_characters(groups)
    if any(len(group[0].text) > 1 or not group[0].is_han for group in groups):
        # A lone character beside real words (算, 玩, 丢) says little and would only make
        # documents that lack it fail the minimum: keep the words.
        groups = [g for g in groups if len(g[0].text) > 1 or not g[0].is_han]
    law_names = tuple(name for name in seg.law_names if len(name) >= 3 and name in folded)
    return QueryPlan(text=text, folded=folded, groups=tuple(groups), law_names=law_names)


def _merge_single_characters(groups):
    """jieba leaves unknown words as single characters (偷 东西 → 偷, 东西 is fine, but 扰 民 is
    not): a run of single characters next to each other becomes one word again."""
    merged = []
    for group in groups:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and len(group) == 1
            and len(prev) == 1
            and len(group[0].text) == 1
            and group[0].is_han
            and prev[0].is_han
            and len(prev[0].text) == 1
        ):
            merged[-1] = (Term(prev[0].text + group[0].text),)
        else:
            merged.append(group)
    return merged
