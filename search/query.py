"""From what a citizen typed to a QueryPlan: folding, the segmenter, the words of asking
dropped, mistyped legal terms put right, and each word given the legal terms the thesaurus has
for it. Never raises and never treats input as syntax."""

import functools
import re

from search.analysis import (
    HAN,
    HAN_RE,
    MAX_QUERY_CHARS,
    QUANTITY_RE,
    STOP_CHARS,
    QueryPlan,
    Term,
    fold,
    legal_terms,
    query_stop_words,
    read_lines,
    runs,
    segmenter,
)
from search.thesaurus import Thesaurus, file_entries, split_terms

_default = None

# Mistyped spans are looked for over at most this many characters.
MAX_TYPO_SPAN = 4
TOPIC_LAW_CHARS = 4
HAN_RUN = re.compile(rf"[{HAN}]+")


def default_thesaurus():
    """The maintained file's thesaurus (search.thesaurus_store adds the editors' entries)."""
    global _default
    if _default is None:
        _default = Thesaurus(file_entries(), extra_terms=legal_terms())
    return _default


@functools.cache
def question_intents():
    """[(frames, terms)]: how a question is asked → words an answer of that kind uses, from
    search/data/question_intents.txt (怎么办 → 投诉, 报案, 申请…)."""
    intents = []
    for line in read_lines("question_intents.txt"):
        frames, _, terms = line.partition("=>")
        intents.append((split_terms(frames), tuple(fold(t) for t in split_terms(terms))))
    return intents


def intent_terms(folded):
    return tuple(
        dict.fromkeys(
            term
            for frames, terms in question_intents()
            if any(f in folded for f in frames)
            for term in terms
        )
    )


def parse_query(text, thesaurus=None):
    """Turn whatever a user typed into a QueryPlan."""
    thesaurus = thesaurus or default_thesaurus()
    text = (text or "").strip()[:MAX_QUERY_CHARS]
    folded = fold(text)
    seg = segmenter()
    seg.add_thesaurus(thesaurus)
    corrected = correct_typos(folded, seg, thesaurus)
    stop = query_stop_words()
    groups, seen = [], set()
    for run in runs(corrected):
        words = joined(list(seg.query_words(run)), thesaurus) if HAN_RE.match(run) else [run]
        for word in words:
            if word in stop or word in seen or (len(word) == 1 and word in STOP_CHARS):
                continue
            seen.add(word)
            legal = thesaurus.alternatives(word)
            same = next(
                (i for i, g in enumerate(groups) if legal and set(legal) <= {t.text for t in g}),
                None,
            )
            if same is not None:
                # 老公 … 老婆, 动手 … 打: both stand for the same legal terms (夫妻, 殴打), which
                # are asked about once; either word is found as one of them.
                groups[same] = (*groups[same], Term(word))
                continue
            groups.append(tuple(Term(w) for w in dict.fromkeys((word, *legal))))
            # 抢包 … 抢夺: a legal term an earlier word stands for is asked about once.
            seen.update(legal)
    if any(len(group[0].text) > 1 or not group[0].is_han or len(group) > 1 for group in groups):
        # A lone character beside real words (算, 玩, 丢) says little and would only make
        # documents that lack it score lower: keep the words (and characters the thesaurus knows).
        groups = [g for g in groups if len(g[0].text) > 1 or not g[0].is_han or len(g) > 1]
    law_names = tuple(name for name in seg.law_names if len(name) >= 3 and name in corrected)
    # A question about 行政诉讼 or 劳动合同 asks about the law named after it.
    known = set(seg.law_names)
    law_names += tuple(
        f"{g[0].text}法"
        for g in groups
        if len(g[0].text) >= TOPIC_LAW_CHARS
        and f"{g[0].text}法" in known
        and f"{g[0].text}法" not in law_names
    )
    return QueryPlan(
        text=text,
        folded=folded,
        groups=tuple(groups),
        law_names=law_names,
        corrected=corrected if corrected != folded else "",
        intent_terms=intent_terms(folded) if groups else (),
        legal=tuple(len(g) > 1 or g[0].text in thesaurus.vocabulary for g in groups),
        quantity=tuple(len(g) == 1 and bool(QUANTITY_RE.match(g[0].text)) for g in groups),
    )


def joined(words, thesaurus):
    """The words with "A 的 B" read as the thesaurus's word AB where it has one (手写的遗嘱 →
    手写遗嘱, 租的房子 → 租房子): how people say it with 的 in the middle means the same."""
    out, i = [], 0
    while i < len(words):
        if i + 2 < len(words) and words[i + 1] == "的":
            word = words[i] + words[i + 2]
            if thesaurus.alternatives(word):
                out.append(word)
                i += 3
                continue
        out.append(words[i])
        i += 1
    return out


def correct_typos(folded, seg, thesaurus):
    """The folded query with mistyped legal terms put right: a span that sounds like a known
    term and differs from it in one character (遗瞩 → 遗嘱, 家爆 → 家暴), where the span is a
    word the segmenter made up (not in its dictionary) or runs across the words it cut the
    typo into (高利 + 带受 → 高利贷, 过 + 其 → 过期). A span starts where a word starts and
    ends where one ends or inside a made-up word; words of the dictionary are never changed."""
    out = []
    for run in _han_and_other(folded):
        if HAN_RE.match(run):
            out.extend(_corrected_run(seg.words(run), seg, thesaurus))
        else:
            out.append(run)
    return "".join(out)


def _corrected_run(pieces, seg, thesaurus):
    known = [len(p) < 2 or seg.has_word(p) for p in pieces]
    out, i = [], 0
    while i < len(pieces):
        found = None
        # The longest span of whole pieces (and a made-up piece's head) that mistypes a term.
        text = ""
        for j in range(i, len(pieces)):
            text += pieces[j]
            ends = [text] if known[j] else [text[: len(text) - k] for k in range(len(pieces[j]))]
            for span in ends:
                if len(span) > MAX_TYPO_SPAN or len(span) < 2 or (j == i and known[j]):
                    continue
                term = thesaurus.correction(span)
                if term and (found is None or len(span) > len(found[0])):
                    found = (span, term, j, len(text) - len(span))
            if len(text) >= MAX_TYPO_SPAN:
                break
        if found is None:
            out.append(pieces[i])
            i += 1
            continue
        span, term, j, left = found
        out.append(term)
        if left:  # the rest of a made-up word the span ended in
            out.append(pieces[j][len(pieces[j]) - left :])
        i = j + 1
    return out


def _han_and_other(text):
    """The text cut into Han runs and the rest, in order."""
    parts, start = [], 0
    for match in HAN_RUN.finditer(text):
        if match.start() > start:
            parts.append(text[start : match.start()])
        parts.append(match.group())
        start = match.end()
    if start < len(text):
        parts.append(text[start:])
    return parts
