"""Which amendment added or changed an article, read from the amendments' own words: 刑法修正案
（十一） says "在刑法第二百九十一条之一后增加一条，作为第二百九十一条之二" and "将刑法第一百四十一条
修改为". The corpus gives no date per article; an amendment's 施行日期 is the source's date for
the articles it added or changed."""

import re
from dataclasses import dataclass
from datetime import date

from content.citations import CHINESE_NUMERAL, ArticleRef, chinese_to_int
from content.models import Statute, StatuteArticle

ADDED, CHANGED = "added", "changed"


@dataclass(frozen=True)
class Amendment:
    name: str
    url: str
    effective_date: date | None
    kind: str  # ADDED or CHANGED


def _ref(number, sub):
    return ArticleRef(number=chinese_to_int(number), sub=chinese_to_int(sub) if sub else 0)


def amended_articles(text, law_short_name):
    """(ArticleRef, kind) for each article the amendment text says it adds or changes."""
    article = rf"第({CHINESE_NUMERAL})条(?:之({CHINESE_NUMERAL}))?"
    law = re.escape(law_short_name)
    found = []
    for match in re.finditer(rf"增加一条，作为{article}", text):
        found.append((_ref(match[1], match[2]), ADDED))
    for match in re.finditer(
        rf"将{law}{article}(?:第{CHINESE_NUMERAL}款)?(?:中的[^。“\"]*?)?修改为", text
    ):
        found.append((_ref(match[1], match[2]), CHANGED))
    return found


def amendments_by_article(statute):
    """{article key: [Amendment, oldest first]} for a law whose amendments are in the library
    as laws of their own (中华人民共和国刑法修正案（…）)."""
    if not statute.is_in_force:
        return {}
    amendments = Statute.objects.filter(name__startswith=f"{statute.name}修正案")
    entries = (
        StatuteArticle.objects.filter(statute__in=amendments)
        .select_related("statute")
        .order_by("statute__effective_date", "statute__sort_name", "position")
    )
    found = {}
    for entry in entries:
        for ref, kind in amended_articles(entry.text, statute.short_name or statute.name):
            amendment = Amendment(
                name=entry.statute.short_name or entry.statute.name,
                url=entry.get_absolute_url(),
                effective_date=entry.statute.effective_date,
                kind=kind,
            )
            if amendment not in found.setdefault(ref.key, []):
                found[ref.key].append(amendment)
    return found
