"""Ranking answers to a question: the same for every engine, on the candidates the engine found.

An engine returns the documents that contain any word of the question (its BM25 order only picks
which candidates are weighed) and how many documents contain each word. Each candidate is then
weighed here, in one place:

- BM25 over the document's own text (a page's title counts twice), each word of the question
  weighted by how rare it is in the library; a word matches through any of its legal terms;
- coverage: the share of the question's weight the document answers. A word only in the law's
  name counts half, so a law's title never outranks the article that answers; words the library
  never uses still weigh in, so a question about the weather finds nothing;
- the relevance cut-off: a document covering too little of the question is not an answer, nor
  one holding only its everyday words and not nearly all of them; the count of answers is the
  count of documents above it;
- the law that answers: articles of the law holding most of the evidence rise a little, and a
  law the question names by name comes first.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import methodcaller

import numpy as np

from search.analysis import fold
from search.documents import STATUTE

CANDIDATES = 300
FOLDED_CACHE = 60_000  # documents whose folded texts are kept per process (the library: 26k)
K1, B = 1.2, 0.75
AVERAGE_LENGTH = 150  # characters of an article, about
TITLE_WEIGHT = 2.0
LAW_NAME_CREDIT = 0.5
COVERAGE_POWER = 2.0
LAW_PRIOR = 0.5
NAMED_LAW = 3.0
INTENT_BONUS = 0.3
# A word the library never uses still weighs in a question's whole, as much as a word used in
# about one article in fifty: so an answer must cover most of what was asked about.
UNKNOWN_WEIGHT = 4.0
# What a question is about is said in its legal terms (the thesaurus's, the legal vocabulary):
# they weigh more. An everyday word weighs at most as much as a word used in one document in
# PLAIN_WORD_FLOOR: a rare word told in passing (墙体, 不管) must not decide a long question.
LEGAL_WEIGHT = 1.6
PLAIN_WORD_FLOOR = 250
# A word of the legal vocabulary lets a question have one more word the library does not know,
# if the library uses it in fewer than this share of its documents (国家 is too common to vouch).
SPECIFIC_SHARE = 0.02
# Share of a question's weight an answer must cover, by the number of its words the library
# uses; and the share of its words the library must use at all.
MIN_COVERAGE = {1: 0.99, 2: 0.6, 3: 0.45, 4: 0.4}
MIN_COVERAGE_LONG = 0.3
MIN_KNOWN_SHARE = {1: 1.0, 2: 1.0, 3: 0.6, 4: 0.5}
MIN_KNOWN_SHARE_LONG = 0.4
# An answer holding none of the question's legal words, only everyday ones (充电, 备份, 空调),
# must hold nearly all of it: everyday words alone meet the library mostly in passing.
PLAIN_ANSWER_COVERAGE = 0.9
# In a question of at most this many words each word is what it is about, so an everyday word is
# not capped at PLAIN_WORD_FLOOR (that cap is for a longer story, where a word may be in passing).
SHORT_QUESTION = 2


@dataclass
class Scored:
    hit: object  # engines.base.Hit
    score: float
    coverage: float


def idf(frequency, total):
    return math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))


def minimum_coverage(groups):
    return MIN_COVERAGE.get(groups, MIN_COVERAGE_LONG)


@lru_cache(maxsize=FOLDED_CACHE)
def folded_fields(key, title, body, law_name):
    """A document's title, body and law name folded (the same string when folding changes
    nothing, as for nearly every statute, so the cache holds no second copy)."""
    return _folded(title), _folded(body), _folded(law_name)


def prepare(documents):
    """Fold the documents' texts ahead of the searches that will weigh them."""
    for doc in documents:
        folded_fields(doc.key, doc.title, doc.body, doc.law_name)


def _folded(text):
    folded = fold(text)
    return text if folded == text else folded


def counted(plan, frequencies):
    """Per group, whether it counts in the question's whole: all do but, in a question of more
    than SHORT_QUESTION other words, an amount the library never uses (三万多, 一箱), which
    says how much, not what about."""
    quantity = plan.quantity or (False,) * len(frequencies)
    if len(quantity) - sum(quantity) <= SHORT_QUESTION:
        return [True] * len(frequencies)  # 一加一等于几: the amount is what is asked about
    return [bool(f) or not q for f, q in zip(frequencies, quantity, strict=True)]


def weights_of(plan, frequencies, total, counts):
    """Each group's weight (its rarity; more for a legal term, at most a common word's for an
    everyday one), zero for words the library never uses; None when the
    question is mostly about things the library does not speak of (nonsense for it). A question
    using a word of the legal vocabulary (the thesaurus's, the legal terms) may have one more
    word the library does not know. ``counts``: counted(plan, frequencies)."""
    groups, known = sum(counts), sum(1 for f in frequencies if f)
    share = MIN_KNOWN_SHARE.get(groups, MIN_KNOWN_SHARE_LONG)
    vouched = any(
        legal and 0 < f < SPECIFIC_SHARE * total
        for legal, f in zip(plan.legal, frequencies, strict=True)
    )
    allowed_unknown = groups - math.ceil(share * groups - 1e-9) + vouched
    if not known or groups - known > allowed_unknown:
        return None
    cap = idf(PLAIN_WORD_FLOOR, total) if groups > SHORT_QUESTION else math.inf
    return [
        (idf(f, total) * LEGAL_WEIGHT if legal else min(idf(f, total), cap)) if f else 0.0
        for f, legal in zip(frequencies, plan.legal, strict=True)
    ]


def weigh(plan, hits, frequencies, total):
    """Every candidate with its score and coverage, best first; those below the cut-off are
    left out."""
    return ranked(answering(plan, hits, frequencies, total), plan)


def answering(plan, hits, frequencies, total):
    """The candidates above the cut-off with their own score and coverage, in no order. Each
    word is weighed in all candidates at once (numpy arrays, one entry per candidate)."""
    counts = counted(plan, frequencies)
    weights = weights_of(plan, frequencies, total, counts)
    if weights is None or not hits:
        return []
    unknown = sum(1 for w, c in zip(weights, counts, strict=True) if c and not w)
    whole = (sum(weights) + UNKNOWN_WEIGHT * unknown) or 1.0
    texts = _CandidateTexts([hit.document for hit in hits])
    score, covered = np.zeros(len(hits)), np.zeros(len(hits))
    legal_held = np.zeros(len(hits), dtype=bool)
    for group, weight, legal in zip(plan.groups, weights, plan.legal, strict=True):
        if not weight:
            continue
        words = [term.text for term in group]
        tf = texts.term_frequencies(words)
        held = tf > 0
        # A word only in the law's name (not in the text) counts for part.
        in_law = texts.in_law_names(words) & ~held
        score += np.where(held, weight * tf * (K1 + 1) / (tf + texts.length_norms), 0.0)
        score += in_law * (weight * LAW_NAME_CREDIT)
        covered += held * weight + in_law * (weight * LAW_NAME_CREDIT)
        if legal:
            legal_held |= held
    coverage = covered / whole
    answers = (coverage + 1e-9 >= minimum_coverage(sum(counts))) & (
        legal_held | (coverage + 1e-9 >= PLAIN_ANSWER_COVERAGE)
    )
    score *= coverage**COVERAGE_POWER
    scored = []
    for i in np.flatnonzero(answers).tolist():
        if plan.intent_terms and any(t in texts.bodies[i] for t in plan.intent_terms):
            score[i] *= 1 + INTENT_BONUS
        scored.append(Scored(hits[i], float(score[i]), float(coverage[i])))
    return scored


class _CandidateTexts:
    """The candidates' folded texts, side by side."""

    def __init__(self, documents):
        fields = [folded_fields(d.key, d.title, d.body, d.law_name) for d in documents]
        self.bodies = [body for _, body, _ in fields]
        lengths = np.fromiter(map(len, self.bodies), dtype=float, count=len(self.bodies))
        self.length_norms = K1 * (1 - B + B * lengths / AVERAGE_LENGTH)
        # A statute's title is its law's name and number: counted as the law's, not as a title.
        self.titled = [
            (i, title)
            for i, (doc, (title, _, _)) in enumerate(zip(documents, fields, strict=True))
            if title and doc.type != STATUTE
        ]
        laws = {}
        self.law_of = np.fromiter(
            (laws.setdefault(law, len(laws)) for _, _, law in fields), dtype=int, count=len(fields)
        )
        self.laws = list(laws)

    def term_frequencies(self, words):
        """How often each candidate uses the likeliest of the words (a title's use counting
        TITLE_WEIGHT times)."""
        counts = [
            np.fromiter(map(methodcaller("count", w), self.bodies), float, len(self.bodies))
            for w in words
        ]
        tf = np.maximum.reduce(counts)
        for i, title in self.titled:
            uses = zip(counts, words, strict=True)
            tf[i] = max(tf[i], *(c[i] + TITLE_WEIGHT * title.count(w) for c, w in uses))
        return tf

    def in_law_names(self, words):
        """Whether each candidate's law has one of the words in its name."""
        named = np.array([bool(law) and any(w in law for w in words) for law in self.laws])
        return named[self.law_of]


def ranked(scored, plan):
    """Answers best first, each lifted by the evidence for its law among these answers (new
    Scored objects: the same answers may be ranked again among fewer)."""
    scored = [replace(s) for s in scored]
    _law_prior(scored, plan)
    scored.sort(key=lambda s: (-s.score, s.hit.document.key))
    return scored


def _law_prior(scored, plan):
    """Articles of the law with most of the evidence rise; a law named in the question first."""
    by_law = defaultdict(list)
    for s in scored:
        if s.hit.document.law_id:
            by_law[s.hit.document.law_id].append(s.score)
    evidence = {law: sum(sorted(scores, reverse=True)[:3]) for law, scores in by_law.items()}
    strongest = max(evidence.values(), default=0.0) or 1.0
    named = set(plan.law_names)
    for s in scored:
        doc = s.hit.document
        if doc.law_id:
            s.score *= 1 + LAW_PRIOR * evidence[doc.law_id] / strongest
            if named and {fold(doc.law_name), fold(doc.law_short_name)} & named:
                s.score *= NAMED_LAW
