"""Chinese text folding, the one place that knows it: the statute library matches law names
with it, and the search app's analyser folds every indexed and queried text with it."""

import functools
import re

import opencc

# Full-width letters and digits fold to half-width; full-width punctuation is left alone
# (checking for letters first keeps folding fast on long texts).
WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
FULL_WIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


@functools.cache
def _converter():
    return opencc.OpenCC("t2s")


def fold(text):
    """Traditional → simplified, full-width → half-width, lower case; same length as the input
    whenever OpenCC maps character for character (it does for everything but rare phrases)."""
    if FULL_WIDTH_RE.search(text):
        text = text.translate(WIDTH_TABLE)
    folded = _converter().convert(text).lower()
    if len(folded) == len(text):
        return folded
    # A phrase conversion changed the length: fold one character at a time to keep offsets.
    return "".join(
        c if len(c) == 1 else ch for ch, c in zip(text, map(_fold_char, text), strict=True)
    )


@functools.lru_cache(maxsize=4096)
def _fold_char(ch):
    return _converter().convert(ch).lower()
