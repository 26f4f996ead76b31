"""Checking the whole statute library against its source, article by article.

The library must be the corpus with the headings moved into structure, the stray spaces taken
out, and nothing else changed: the same laws, the same number of articles in each, every
article's text equal to the source's once the heading lines glued to its end are taken out and
the rest has gone through the importer's remove_stray_spaces (one definition of a stray space,
so that the importer and this check cannot drift apart), each of those headings found again in
the structure of the article that follows, and no article whose text begins or ends with a
heading. The heading test here is deliberately looser than the importer's (any short line that
looks like 第…编/章/节, 附则, 总则 or 分则): the check must not share the importer's blind spots."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from content.citations import parse_label
from content.models import Statute, StatuteArticle
from content.statute_structure import remove_stray_spaces, supplement_headings
from content.statutes import STATUTE_DATA_FILE, read_corpus

LOOSE_HEADING_RE = re.compile(
    r"第[\d零〇一二两三四五六七八九十百千]+\s*(编|分编|章|节)(\s.{0,40})?|[附总分][ \u3000]*则"
)


def looks_like_heading(line):
    return LOOSE_HEADING_RE.fullmatch(line.strip()) is not None


def _squeeze(title):
    return re.sub(r"[ \u3000]+", "", title)


@dataclass
class Verification:
    laws: int = 0
    articles: int = 0
    headings_moved: int = 0
    stray_spaces_removed: int = 0  # articles whose text lost stray spaces
    supplement_headings: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def verify_library(path=STATUTE_DATA_FILE):
    """Compare the imported library with the data file; every difference is a problem."""
    result = Verification()
    corpus = list(read_corpus(path))
    statutes = Statute.objects.in_bulk(field_name="law_id")
    stored = {}
    for article in StatuteArticle.objects.order_by("statute_id", "position").iterator(2000):
        stored.setdefault(article.statute_id, []).append(article)
    extra = set(statutes) - {law["law_id"] for law in corpus}
    for law_id in sorted(extra):
        result.problems.append(_("库中多出数据文件没有的法律 %(id)s") % {"id": law_id})
    for law in corpus:
        statute = statutes.get(law["law_id"])
        if statute is None:
            result.problems.append(_("缺少《%(name)s》") % {"name": law["name"]})
            continue
        result.laws += 1
        _verify_law(law, statute, stored.get(statute.pk, []), result)
    for law_id, headings in supplement_headings().items():
        statute = statutes.get(law_id)
        articles = stored.get(statute.pk, []) if statute else []
        for heading in headings:
            first = next((a for a in articles if a.label == heading.before), None)
            if first is None or heading.title not in first.path:
                result.problems.append(
                    _("补充标题“%(title)s”不在 %(law)s %(label)s 的结构中")
                    % {"title": heading.title, "law": law_id, "label": heading.before}
                )
            else:
                result.supplement_headings += 1
    return result


def _verify_law(law, statute, articles, result):
    name = law["name"]
    problem = result.problems.append
    if statute.name != name or statute.status != law["status"]:
        problem(_("《%(name)s》的名称或时效性与数据文件不同") % {"name": name})
    source = law.get("articles") or []
    if len(articles) != len(source):
        problem(
            _("《%(name)s》有 %(stored)s 条，数据文件有 %(source)s 条")
            % {"name": name, "stored": len(articles), "source": len(source)}
        )
        return
    for index, (article, original) in enumerate(zip(articles, source, strict=True)):
        result.articles += 1
        where = {"name": name, "label": original.get("label")}
        ref = parse_label(original.get("label") or "")
        if article.label != (original.get("label") or "全文"):
            problem(_("《%(name)s》%(label)s：条文序号不同") % where)
        if ref is not None and article.item is None and ref.number != original.get("number"):
            problem(_("《%(name)s》%(label)s：条号与数据文件的数字不符") % where)
        text, full = article.text, original.get("text") or ""
        lines = text.split("\n")
        if not text.strip() or looks_like_heading(lines[0]) or looks_like_heading(lines[-1]):
            problem(_("《%(name)s》%(label)s：条文为空或以标题开头、结尾") % where)
        # Stray spaces go and line breaks stay: the article is the source's first lines, with
        # nothing but ASCII spaces taken out (checked here too, not only trusted to the function).
        source_lines = full.split("\n")
        own = "\n".join(source_lines[: len(lines)])
        if remove_stray_spaces(own) != text or own.replace(" ", "") != text.replace(" ", ""):
            problem(_("《%(name)s》%(label)s：条文与数据文件不同") % where)
            continue
        if own != text:
            result.stray_spaces_removed += 1
        moved = [line for line in source_lines[len(lines) :] if line.strip()]
        following = articles[index + 1].path if index + 1 < len(articles) else []
        for line in moved:
            if not looks_like_heading(line) or _squeeze(line) not in map(_squeeze, following):
                problem(
                    _("《%(name)s》%(label)s：移出的“%(line)s”不是下一条所在的标题")
                    % {**where, "line": line}
                )
        result.headings_moved += len(moved)
