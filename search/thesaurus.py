"""The citizen-word thesaurus: how people say it → how the law says it.

Two sources, merged at query time: the maintained file search/data/thesaurus.txt (each entry with
the article whose text uses the legal term) and the entries editors keep in the admin
(search.models.ThesaurusEntry), which add words or override the file's entry for a word. An
editor's change takes effect without a rebuild: every process checks a stamp of the table (one
small query) before it uses its copy, so all web processes see the change on their next search.

The thesaurus also knows the vocabulary of legal terms for typo tolerance: a word the segmenter
could not place (a run of single characters, or an unknown long word) that sounds like a known
term and differs from it in one character (托欠 → 拖欠, 遗瞩 → 遗嘱) is read as that term."""

import functools
import re
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from search.analysis import DATA_DIR, HAN_RE, fold

THESAURUS_FILE = DATA_DIR / "thesaurus.txt"
LINE_RE = re.compile(r"^(?P<spoken>[^=|]+)=>(?P<legal>[^|]+)(?:\|(?P<source>.*))?$")
# A legal term listed as "车位、车库" means either word.
TERM_SEPARATORS = re.compile(r"[,，、]")


@dataclass(frozen=True)
class Entry:
    spoken: tuple[str, ...]
    legal: tuple[str, ...]
    source: str = ""
    active: bool = True


def split_terms(text):
    return tuple(dict.fromkeys(t.strip() for t in TERM_SEPARATORS.split(text or "") if t.strip()))


def parse_line(line):
    """An Entry from a line `老板, 东家 => 用人单位 | 劳动合同法 第2条`; None for a comment, a blank
    line or a line that is not an entry."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    match = LINE_RE.match(line)
    if match is None:
        return None
    spoken, legal = split_terms(match["spoken"]), split_terms(match["legal"])
    if not spoken or not legal:
        return None
    return Entry(spoken=spoken, legal=legal, source=(match["source"] or "").strip())


@functools.cache
def file_entries():
    lines = THESAURUS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(entry for entry in map(parse_line, lines) if entry is not None)


class Thesaurus:
    """A merged, folded view: spoken word → legal alternatives, and the vocabulary of terms."""

    def __init__(self, entries=(), extra_terms=()):
        table = {}
        for entry in entries:  # later entries (the editors') override earlier ones
            legal = tuple(dict.fromkeys(fold(t) for t in entry.legal))
            for word in entry.spoken:
                word = fold(word)
                if entry.active:
                    table[word] = legal
                else:
                    table.pop(word, None)
        self.table = table
        terms = set(table) | {t for alts in table.values() for t in alts}
        terms |= {fold(t) for t in extra_terms}
        self.vocabulary = frozenset(t for t in terms if HAN_RE.match(t) and len(t) >= 2)
        self._by_sound = None

    def alternatives(self, word):
        """The legal terms a word stands for (without the word itself)."""
        return tuple(t for t in self.table.get(word, ()) if t != word)

    @property
    def words(self):
        """Every word the segmenter should keep whole."""
        return self.vocabulary

    # Typo tolerance ------------------------------------------------------------------------

    def sounds(self):
        """{pinyin: [terms]} of the vocabulary, built on first use (a warm web worker has it
        before its first search)."""
        if self._by_sound is None:
            by_sound = {}
            for term in self.vocabulary:
                by_sound.setdefault(tuple(lazy_pinyin(term)), []).append(term)
            self._by_sound = by_sound
        return self._by_sound

    def correction(self, piece):
        """The known term that `piece` mistypes: same sound, one character different; or None
        when there is none or more than one."""
        if piece in self.vocabulary or not HAN_RE.match(piece) or not 2 <= len(piece) <= 6:
            return None
        found = [
            term
            for term in self.sounds().get(tuple(lazy_pinyin(piece)), ())
            if len(term) == len(piece) and differences(term, piece) == 1
        ]
        return found[0] if len(found) == 1 else None


def differences(a, b):
    return sum(x != y for x, y in zip(a, b, strict=True))
