"""Snippets with <mark> around what matched, found in the folded text (so a traditional query
marks the simplified text and the other way round) and cut from the original text; everything
else is HTML-escaped. The same for every engine, so results read the same."""

from django.utils.html import escape

from search.analysis import fold

SNIPPET_CHARS = 120
LEAD_CHARS = 20  # context shown before the first match


def match_spans(text, plan):
    folded = fold(text)
    needles = {t.text for t in plan.terms if t.is_han or len(t.text) > 1}
    spans = []
    for needle in needles:
        start = folded.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = folded.find(needle, start + 1)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def best_window(spans, length, size):
    """Start of the window of `size` characters covering the most matched characters."""
    if not spans or length <= size:
        return 0
    best, best_cover = 0, -1
    for first, _ in spans:
        start = max(0, min(first - LEAD_CHARS, length - size))
        # Never open the window in the middle of a match.
        start = next((s for s, e in spans if s < start < e), start)
        end = start + size
        cover = sum(min(e, end) - max(s, start) for s, e in spans if s < end and e > start)
        if cover > best_cover:
            best, best_cover = start, cover
    return best


def snippet(text, plan, size=SNIPPET_CHARS):
    text = " ".join((text or "").split())
    spans = match_spans(text, plan)
    start = best_window(spans, len(text), size)
    end = min(len(text), start + size)
    parts, pos = [], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        parts += [escape(text[pos:s]), "<mark>", escape(text[s:e]), "</mark>"]
        pos = e
    parts.append(escape(text[pos:end]))
    return ("…" if start > 0 else "") + "".join(parts) + ("…" if end < len(text) else "")


def mark(text, plan):
    """The whole (short) text, e.g. a title, with its matches marked."""
    return snippet(text, plan, size=max(len(text or ""), 1))


def mark_lines(text, plan):
    """A longer text (an article) with its matches marked, line by line, lines kept."""
    return "\n".join(mark(line, plan) for line in (text or "").splitlines() if line.strip())
