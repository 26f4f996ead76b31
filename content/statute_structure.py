"""A law's 编 / 分编 / 章 / 节 structure, read from the corpus.

The corpus gives each article its 章 and 节 in columns, but a 编 or 分编 heading (and the 附 则 of a
code) only as lines glued to the end of the previous part's last article ("……另有约定的除外。\n
第二编 物 权\n第一分编 通 则"). Here those lines are taken out of the text and become the part
of the articles that follow. A heading the corpus has no place for at all (民法典's 第一编 总则
comes before 第一条) is added from a small supplement file that cites the official text. What is
left of the text loses the stray spaces of the PDF it was taken from ("生活垃 圾")."""

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

SUPPLEMENT_FILE = Path(__file__).resolve().parent / "data" / "statute_headings.toml"

PART, SUBPART, CHAPTER, SECTION = "编", "分编", "章", "节"
LEVELS = (PART, SUBPART, CHAPTER, SECTION)
HEADING_RE = re.compile(
    r"第[零〇一二三四五六七八九十百千]+(?P<level>编|分编|章|节)(?:[ \u3000]+\S.*)?|附[ \u3000]*则"
)

# Chinese running text: ideographs and the full-width punctuation between them. A space between
# two of these is not Chinese typesetting but what the line breaks of the source's PDF left.
CHINESE = r"[\u3400-\u9fff\uf900-\ufaff，、；：。？！（）“”《》]"
STRAY_SPACE_RE = re.compile(rf"(?<={CHINESE}) +(?={CHINESE})")
# A dashed rule of a plain-text table ("------- -------------"); its cells are set apart by
# spaces, which are the table's columns, not stray.
TABLE_RULE_RE = re.compile(r"-{3,}(?: +-{3,})*")


class StructureError(ValueError):
    """The corpus's structure is not one this module can read; the message says where."""


def is_heading(line):
    return HEADING_RE.fullmatch(line.strip()) is not None


def heading_level(line):
    """编, 分编, 章 or 节 for a heading line; 附 则 (a code's closing part) counts as a 编."""
    match = HEADING_RE.fullmatch(line.strip())
    if match is None:
        return None
    return match["level"] or PART


def split_trailing_headings(text):
    """(the article's own text, the heading lines glued to its end, in order)."""
    lines = text.split("\n")
    cut = len(lines)
    while cut > 0 and is_heading(lines[cut - 1]):
        cut -= 1
    return "\n".join(lines[:cut]), [line.strip() for line in lines[cut:]]


def table_lines(lines):
    """The indexes of the lines that are rows of a table: those with " | " between cells, and
    those of a plain-text table drawn with dashed rules. Rules come in pairs around the rows; a
    header between two rules is closed by a third; a rule with no partner underlines the header
    above it."""
    rows = {index for index, line in enumerate(lines) if " | " in line}
    rules = [index for index, line in enumerate(lines) if TABLE_RULE_RE.fullmatch(line.strip())]
    k = 0
    while k < len(rules):
        start = rules[k]
        if k + 1 == len(rules):
            rows.update({start - 1, start} - {-1})
            break
        end, k = rules[k + 1], k + 2
        if end == start + 2 and k < len(rules):  # rule, header, rule: the rows run to a third
            end, k = rules[k], k + 1
        rows.update(range(start, end + 1))
    return rows


def remove_stray_spaces(text):
    """The text without the spaces its source's PDF left inside sentences ("生活垃 圾", "省、自治
    区、 直辖市"): spaces between two characters of Chinese running text, which no Chinese law
    is typeset with, which readers should not see and which split the words search looks for.
    Table rows keep their spaces (they separate cells), and the ideographic space (U+3000, a
    real separator after an article's label) and line breaks (paragraphs) are kept."""
    lines = text.split("\n")
    tables = table_lines(lines)
    return "\n".join(
        line if index in tables else STRAY_SPACE_RE.sub("", line)
        for index, line in enumerate(lines)
    )


@dataclass(frozen=True)
class SupplementHeading:
    law_id: str
    before: str  # the label of the first article under the heading
    title: str
    source: str


@cache
def supplement_headings(path=SUPPLEMENT_FILE):
    """{law_id: [SupplementHeading]} from the supplement file; every entry must cite a source."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    headings = {}
    for entry in data.get("heading", []):
        heading = SupplementHeading(
            law_id=entry["law_id"],
            before=entry["before"],
            title=entry["title"],
            source=entry.get("source", ""),
        )
        if not heading.source.strip() or heading_level(heading.title) is None:
            raise StructureError(
                _("补充标题“%(title)s”缺少出处或不是编章节标题") % {"title": heading.title}
            )
        headings.setdefault(heading.law_id, []).append(heading)
    return headings


@dataclass
class StructuredArticle:
    text: str
    part: str = ""
    subpart: str = ""
    chapter: str = ""
    section: str = ""

    @property
    def path(self):
        return [title for title in (self.part, self.subpart, self.chapter, self.section) if title]


def structure_articles(law, supplement=None):
    """The law's articles with their text free of headings and stray spaces, and their full
    place in the law. Raises StructureError, naming the law and article, where the corpus
    cannot be read."""
    supplement = supplement_headings() if supplement is None else supplement
    pending = {h.before: h for h in supplement.get(law["law_id"], [])}
    part = subpart = ""
    stale_chapter = None  # the chapter column carried on past a glued heading
    structured = []
    articles = law.get("articles") or []
    for index, article in enumerate(articles):
        label = article.get("label") or ""

        def fail(message, label=label):
            raise StructureError(
                _("《%(law)s》%(label)s：%(message)s")
                % {"law": law.get("name"), "label": label, "message": message}
            )

        if (heading := pending.pop(label, None)) is not None:
            part, subpart = _apply(heading.title, part, subpart) or fail(
                _("补充标题“%(title)s”不是编或分编") % {"title": heading.title}
            )
        chapter, section = article.get("chapter") or "", article.get("section") or ""
        if stale_chapter is not None:
            if chapter == stale_chapter:
                # A chapter never spans two parts: the column was carried on from the part
                # before, and this part (刑事诉讼法's 第四编 执行, a code's 附 则) has none.
                chapter = section = ""
            else:
                stale_chapter = None
        text, headings = split_trailing_headings(article.get("text") or "")
        if not text.strip():
            fail(_("条文只有标题，没有内容"))
        if is_heading(text.split("\n", 1)[0]):
            fail(_("条文以标题开头"))
        structured.append(
            StructuredArticle(remove_stray_spaces(text), part, subpart, chapter, section)
        )
        if headings:
            if index == len(articles) - 1:
                fail(_("最后一条之后还有标题“%(title)s”") % {"title": headings[-1]})
            for title in headings:
                applied = _apply(title, part, subpart)
                if applied is None:
                    fail(_("条文末尾的标题“%(title)s”不是编或分编") % {"title": title})
                part, subpart = applied
            stale_chapter = article.get("chapter") or ""
    if pending:
        raise StructureError(
            _("《%(law)s》没有补充标题所在的条文：%(labels)s")
            % {"law": law.get("name"), "labels": "、".join(pending)}
        )
    return structured


def _apply(title, part, subpart):
    """(part, subpart) after a 编 or 分编 heading; None for a heading of another level."""
    level = heading_level(title)
    if level == PART:
        return title, ""
    if level == SUBPART and part:
        return part, title
    return None


# The table of contents ------------------------------------------------------------------------


@dataclass
class Heading:
    """One 编, 分编, 章 or 节 of a law: the articles directly under it, and the headings below."""

    title: str
    level: str
    first: object  # the first article under this heading, for the table of contents' links
    articles: list = field(default_factory=list)
    children: list = field(default_factory=list)


def outline(articles):
    """The law as a tree over articles in order (anything with part, subpart, chapter and
    section attributes): (top-level headings, articles under no heading)."""
    roots, loose, open_path = [], [], []  # open_path: [((level, title), Heading)], top down
    for article in articles:
        path = [
            (level, title)
            for level, title in zip(
                LEVELS,
                (article.part, article.subpart, article.chapter, article.section),
                strict=True,
            )
            if title
        ]
        depth = 0
        while depth < min(len(open_path), len(path)) and open_path[depth][0] == path[depth]:
            depth += 1
        del open_path[depth:]
        for level, title in path[depth:]:
            heading = Heading(title, level, article)
            (open_path[-1][1].children if open_path else roots).append(heading)
            open_path.append(((level, title), heading))
        (open_path[-1][1].articles if open_path else loose).append(article)
    return roots, loose


def table_of_contents(articles):
    """The nested 编 → 分编 → 章 → 节 headings, each linking to its first article."""
    return outline(articles)[0]
