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

# A word starting with a numeral (三万多, 十二岁, 一箱, 200元): an amount told in passing.
QUANTITY_RE = re.compile(r"^第?[零〇一二三四五六七八九十百千万亿两几半0-9]")

# Longest stored query: longer input is cut here (a pasted paragraph still searches sensibly).
MAX_QUERY_CHARS = 100


def read_lines(name):
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# Stop words and legal terms ------------------------------------------------------------------


@functools.cache
def query_stop_words():
    """Words of how people ask (怎么办, 如何, 我) that say nothing about the subject."""
    return frozenset(fold(w) for w in read_lines("query_stop_words.txt"))


@functools.cache
def legal_terms():
    return tuple(fold(w) for w in read_lines("legal_terms.txt"))


# Segmentation --------------------------------------------------------------------------------


class Segmenter:
    """jieba with our user dictionary: every law name and legal term, and the thesaurus's words
    (search.query adds them), so that 民法典 or 高空抛物 stay one word."""

    USER_WORD_FREQ = 200_000

    def __init__(self, law_names=()):
        self.jieba = rjieba.Jieba()
        self.user_words = frozenset(w for w in [*legal_terms(), *law_names] if len(w) >= 2)
        for word in self.user_words:
            self.jieba.add_word(word, self.USER_WORD_FREQ, "n")
        self.law_names = tuple(sorted(set(law_names), key=len, reverse=True))
        self._thesaurus = None

    def add_law_names(self, names):
        names = {n for n in names if len(n) >= 2} - set(self.law_names)
        for name in names:
            self.jieba.add_word(name, self.USER_WORD_FREQ, "n")
        self.user_words = self.user_words | names
        self.law_names = tuple(sorted({*self.law_names, *names}, key=len, reverse=True))

    def add_words(self, words):
        """More words to keep whole (the thesaurus's); those known already are skipped."""
        new = {w for w in words if len(w) >= 2} - self.user_words
        for word in new:
            self.jieba.add_word(word, self.USER_WORD_FREQ, "n")
        self.user_words = self.user_words | new

    def add_thesaurus(self, thesaurus):
        """The thesaurus's words, once per thesaurus."""
        if self._thesaurus is not thesaurus:
            self.add_words(thesaurus.words)
            self._thesaurus = thesaurus

    def has_word(self, word):
        """True when the dictionary knows the word (jieba also makes up words it does not)."""
        return word in self.user_words or self.jieba.has_word(word)

    def words(self, folded):
        """Precise-mode words of folded text, with the words jieba makes up for runs its
        dictionary does not know (where a mistyped term shows itself: 遗瞩)."""
        return self.jieba.cut(folded)

    def dictionary_words(self, folded):
        """Precise-mode words of the dictionary only: a run it does not know stays single
        characters, rather than glued into a made-up word of filler (我能, 能领)."""
        return self.jieba.cut(folded, False)

    def query_words(self, folded):
        """Words of a query: a long word jieba made up itself (拖欠工资) is split into the words
        inside it (拖欠, 工资), so each can match on its own or through its synonyms; words of
        our dictionary (law names, legal terms) stay whole."""
        for word in self.dictionary_words(folded):
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


def knows_law_names(names):
    """True when the process's segmenter is loaded and has these law names as words."""
    return _segmenter is not None and set(names) <= set(_segmenter.law_names)


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
    """What a citizen's query means to every engine: groups of alternative terms (a word and the
    legal terms the thesaurus gives for it), how many groups a document must match, and laws the
    query names. Built by search.query.parse_query."""

    text: str  # the query as typed (cut to MAX_QUERY_CHARS)
    folded: str
    groups: tuple[tuple[Term, ...], ...] = ()
    law_names: tuple[str, ...] = ()  # folded law names in the query, or named after its subject
    corrected: str = ""  # the folded query with mistyped legal terms put right, if any were
    intent_terms: tuple[str, ...] = ()  # what an answer to this kind of question says (报案…)
    legal: tuple[bool, ...] = ()  # per group: its word is of the legal vocabulary
    quantity: tuple[bool, ...] = ()  # per group: its word is a number or amount (三万多, 十二岁)
    broad: bool = False  # see widen()

    @property
    def is_empty(self):
        return not self.groups

    @property
    def minimum_should_match(self):
        """Every group of a short query; all but a third of a long one, so that one stray word
        in a long question does not empty the results, while nonsense still finds nothing.
        A broad plan asks for any one group: the candidates that ranking then weighs."""
        n = len(self.groups)
        if self.broad:
            return 1
        return n if n <= 2 else n - math.floor(n / 3)

    def widen(self):
        """The same query matching documents with any of its words (candidates for ranking)."""
        return replace(self, broad=True)

    @property
    def changed_script(self):
        """True when folding changed the query (it was traditional or full-width)."""
        return self.folded != self.text.lower()

    @property
    def terms(self):
        return [term for group in self.groups for term in group]
