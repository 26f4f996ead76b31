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

from search.analysis import fold
from search.documents import STATUTE

CANDIDATES = 300
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


@lru_cache(maxsize=20_000)
def folded_fields(key, title, body, law_name):
    return fold(title), fold(body), fold(law_name)


def weights_of(plan, frequencies, total):
    """Each group's weight (its rarity; more for a legal term, at most a common word's for an
    everyday one), zero for words the library never uses; None when the
    question is mostly about things the library does not speak of (nonsense for it). A question
    using a word of the legal vocabulary (the thesaurus's, the legal terms) may have one more
    word the library does not know."""
    groups, known = len(plan.groups), sum(1 for f in frequencies if f)
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
    """The candidates above the cut-off with their own score and coverage, in no order."""
    weights = weights_of(plan, frequencies, total)
    if weights is None:
        return []
    unknown = sum(1 for w in weights if not w)
    whole = (sum(weights) + UNKNOWN_WEIGHT * unknown) or 1.0
    floor = minimum_coverage(len(weights))
    intents = plan.intent_terms
    group_texts = [tuple(t.text for t in group) for group in plan.groups]
    scored = []
    for hit in hits:
        doc = hit.document
        title, body, law = folded_fields(doc.key, doc.title, doc.body, doc.law_name)
        if doc.type == STATUTE:
            title = ""  # a statute's title is its law's name and number: counted as the law's
        length_norm = K1 * (1 - B + B * len(body) / AVERAGE_LENGTH)
        score = covered = 0.0
        legal_held = False
        for texts, weight, legal in zip(group_texts, weights, plan.legal, strict=True):
            if not weight:
                continue
            tf = max(map(body.count, texts))
            if title:
                tf = max(tf, max(body.count(t) + TITLE_WEIGHT * title.count(t) for t in texts))
            if tf:
                score += weight * tf * (K1 + 1) / (tf + length_norm)
                covered += weight
                legal_held = legal_held or legal
            elif law and any(t in law for t in texts):
                score += weight * LAW_NAME_CREDIT
                covered += weight * LAW_NAME_CREDIT
        coverage = covered / whole
        if coverage + 1e-9 < floor:
            continue
        if not legal_held and coverage + 1e-9 < PLAIN_ANSWER_COVERAGE:
            continue
        score *= coverage**COVERAGE_POWER
        if intents and any(t in body for t in intents):
            score *= 1 + INTENT_BONUS
        scored.append(Scored(hit, score, coverage))
    return scored


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
