"""How people write an article's number, read exactly: 1254, 第1254条, 第一千二百五十四条, 133之一,
133-1, 第一百三十三条之一, 条目三. One parser for the citation block, the URLs, the API and search;
it never rounds a number it cannot read to a nearby one, it refuses it."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from content.text import fold

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
DIGITS |= {"八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL = "[零〇一二两三四五六七八九十百千]+"
NUMERAL = rf"(?:\d+|{CHINESE_NUMERAL})"
# Article numbers of Chinese laws stay below 10,000; a bigger number is a typing mistake.
MAX_NUMBER = 9999

# 第一百三十三条之一, 133之一, 133-1, 第133条, 1254: 第 and 条 optional, 之/- for the sub-number.
ARTICLE_RE = re.compile(
    rf"第?\s*(?P<number>{NUMERAL})\s*条?\s*(?:(?:之|-)\s*(?P<sub>{NUMERAL}))?\s*(?:条)?"
)
ITEM_RE = re.compile(rf"(?:item-|条目)(?P<item>{NUMERAL})")
# In a search query: a law's name, then an article. The article must say 第 or 条 or be written
# in Arabic digits, so a name ending in a numeral (修正案（十一）) is not read as an article.
QUERY_RE = re.compile(
    rf"《?(?P<law>[^《》\d]+?)》?\s*"
    rf"(?P<article>第\s*{NUMERAL}\s*条(?:\s*之\s*{NUMERAL})?"
    rf"|{NUMERAL}\s*条(?:\s*之\s*{NUMERAL})?"
    rf"|\d+(?:\s*(?:之|-)\s*{NUMERAL})?)"
    r"\s*"
)


class ArticleNumberError(ValueError):
    """Text that is not an article number; the message says so in Chinese."""


def chinese_to_int(text):
    """一千二百五十四 → 1254, 十七 → 17, 二百零四 → 204; ValueError for anything else
    (二二, 百十)."""
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        raise ValueError(text)
    total, digit, last_unit, after_zero = 0, None, 10_000, False
    for ch in text:
        if ch in DIGITS:
            if digit is not None:
                raise ValueError(text)  # two digits in a row: 二二
            digit = DIGITS[ch]
            if digit == 0:
                if after_zero or total == 0:
                    raise ValueError(text)
                after_zero, digit = True, None
            continue
        unit = UNITS[ch]
        if unit >= last_unit or (digit is None and (total or after_zero)):
            raise ValueError(text)  # units must fall (百十), and 十 alone only leads (十七)
        total += (1 if digit is None else digit) * unit
        digit, last_unit, after_zero = None, unit, False
    if after_zero and digit is None:
        raise ValueError(text)  # a trailing 零: 一百零
    if digit is not None:
        if after_zero is False and last_unit not in (10, 10_000):
            raise ValueError(text)  # 一百二 is colloquial for 120; refuse rather than guess
        total += digit
    return total


def int_to_chinese(number):
    """1254 → 一千二百五十四, 17 → 十七, 110 → 一百一十, 204 → 二百零四 (as laws write them)."""
    if not 0 < number <= MAX_NUMBER:
        raise ValueError(number)
    names = "零一二三四五六七八九"
    parts, zero = [], False
    for unit, unit_name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(names[digit] + unit_name)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def _numeral(text):
    value = int(text) if text.isdigit() else chinese_to_int(text)
    if not 0 < value <= MAX_NUMBER:
        raise ValueError(text)
    return value


@dataclass(frozen=True, order=True)
class ArticleRef:
    """The identity of an entry within a law: 第N条 (sub 0), 第N条之K, or the corpus's item n for
    entries with no 第N条 (a law given as 全文, an amendment's 条目n)."""

    number: int | None = None
    sub: int = 0
    item: int | None = None

    @property
    def key(self):
        """The form in URLs and the API: 133, 133-1, item-3."""
        if self.item is not None:
            return f"item-{self.item}"
        return f"{self.number}-{self.sub}" if self.sub else str(self.number)

    @property
    def label(self):
        """第一百三十三条之一; an item has no 第N条 label of its own (the corpus gives it)."""
        if self.item is not None:
            return ""
        label = f"第{int_to_chinese(self.number)}条"
        return f"{label}之{int_to_chinese(self.sub)}" if self.sub else label

    @property
    def is_item(self):
        return self.item is not None


def parse_article(text):
    """An ArticleRef from how a person writes it. Raises ArticleNumberError with a Chinese
    message when the text is not exactly one article number."""
    cleaned = fold((text or "").strip()).replace(" ", "")
    try:
        if match := ITEM_RE.fullmatch(cleaned):
            return ArticleRef(item=_numeral(match["item"]))
        if match := ARTICLE_RE.fullmatch(cleaned):
            sub = _numeral(match["sub"]) if match["sub"] else 0
            return ArticleRef(number=_numeral(match["number"]), sub=sub)
    except ValueError:
        pass
    raise ArticleNumberError(
        _("无法识别条号“%(text)s”：请写成 1254、第1254条、第一千二百五十四条、133之一或 133-1。")
        % {"text": text}
    )


def parse_label(label):
    """The ArticleRef a corpus label names (第一百三十三条之一), or None for 全文 and 条目N."""
    if not label.startswith("第"):
        return None
    try:
        return parse_article(label)
    except ArticleNumberError:
        return None


def entry_refs(labels):
    """The identity of each entry of a law, in order, from the corpus's labels: 第N条(之K) where
    the labels name each article once; otherwise (全文, 条目N, or a law whose labels repeat, such
    as treaty articles quoted in a decision) the corpus's item number: N of 条目N, else the
    entry's place in the law."""
    refs = [parse_label(label) for label in labels]
    numbered = [ref for ref in refs if ref is not None]
    if len(numbered) == len(refs) and len(set(numbered)) == len(numbered):
        return refs
    items = []
    for position, label in enumerate(labels, start=1):
        match = ITEM_RE.fullmatch(label)
        items.append(ArticleRef(item=_numeral(match["item"]) if match else position))
    if len({ref.item for ref in items}) != len(items):
        items = [ArticleRef(item=position) for position in range(1, len(labels) + 1)]
    return items


@dataclass(frozen=True)
class QueryCitation:
    law: str  # the law's name as written: 民法典, 《劳动合同法》
    article: ArticleRef


def find_citation(query):
    """A search query that is a citation (民法典第1254条, 《民法典》第一千二百五十四条,
    刑法133条之一, 劳动合同法 第82条) as the law's name and the article; None for any other
    query."""
    match = QUERY_RE.fullmatch(fold((query or "").strip()))
    law = match["law"].strip() if match else ""
    if len(law) < 2 or law.endswith("第"):  # "第1254条" names no law
        return None
    try:
        article = parse_article(match["article"])
    except ArticleNumberError:
        return None
    return QueryCitation(law=law, article=article)
