"""What the search page and the JSON API share: validate the request, ask the engine, and shape
the answer (snippets, facet labels, "did you mean")."""

import logging
import time
from dataclasses import dataclass, field

from django import forms
from django.template.loader import get_template
from django.utils.translation import gettext_lazy as _

from search import ranking, thesaurus_store
from search.analysis import MAX_QUERY_CHARS, QueryPlan, fold
from search.citations import cited_document, put_cited_first
from search.documents import STATUSES, STATUTE
from search.engines import EngineUnavailable, Filters, get_engine
from search.engines.base import FACET_FIELDS, FACETS, NO_FILTERS
from search.highlight import mark, snippet
from search.models import SearchQueryStat
from search.query import parse_query

logger = logging.getLogger(__name__)

MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 10
MAX_PAGE = 100  # with at most 50 a page: 5,000 results reachable, within Elasticsearch's window
BEST_ANSWERS = 3  # statute articles shown before the 普法 pieces
# Asked once by a new web worker before it takes requests (never counted in the query log).
WARM_UP_QUESTION = "签了合同对方不履行怎么办"

TYPE_LABELS = {"article": _("普法文章"), "video": _("普法视频"), "statute": _("法律条文")}
FACET_LABELS = {
    "type": _("类型"),
    "topic": _("栏目"),
    "law": _("法律"),
    "level": _("效力级别"),
    "status": _("时效性"),
}


class SearchForm(forms.Form):
    """The search request, from the page's query string or the API's parameters."""

    q = forms.CharField(
        label=_("检索词"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        strip=True,
        error_messages={
            "max_length": _("检索词最多 %(limit_value)d 个字（现在 %(show_value)d 个）。")
        },
    )
    type = forms.ChoiceField(
        label=_("类型"),
        required=False,
        choices=[("", _("全部"))] + list(TYPE_LABELS.items()),
        error_messages={
            "invalid_choice": _("未知的类型“%(value)s”，可选：article、video、statute。")
        },
    )
    topic = forms.CharField(label=_("栏目"), required=False, max_length=100)
    law = forms.CharField(label=_("法律"), required=False, max_length=64)
    level = forms.CharField(label=_("效力级别"), required=False, max_length=64)
    status = forms.ChoiceField(
        label=_("时效性"),
        required=False,
        choices=[("", _("现行有效"))] + [(s, s) for s in STATUSES],
        error_messages={"invalid_choice": _("未知的时效性“%(value)s”。")},
    )
    page = forms.IntegerField(
        label=_("页码"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": _("页码必须是正整数。"),
            "min_value": _("页码从 1 开始。"),
            "max_value": _("最多翻到第 %(limit_value)s 页，请换用更具体的检索词或筛选。"),
        },
    )
    page_size = forms.IntegerField(
        label=_("每页条数"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        error_messages={
            "invalid": _("每页条数必须是整数。"),
            "min_value": _("每页至少 1 条。"),
            "max_value": _("每页最多 %(limit_value)s 条。"),
        },
    )

    def clean(self):
        data = super().clean()
        data["page"] = data.get("page") or 1
        data["page_size"] = data.get("page_size") or DEFAULT_PAGE_SIZE
        return data

    def errors_text(self):
        return " ".join(str(e) for errors in self.errors.values() for e in errors)


@dataclass
class SearchAnswer:
    query: str
    plan: QueryPlan
    total: int = 0
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    results: list[dict] = field(default_factory=list)
    facets: dict[str, list[dict]] = field(default_factory=dict)
    did_you_mean: str = ""
    engine: str = ""
    took_ms: float = 0.0

    @property
    def first(self):
        return (self.page - 1) * self.page_size + 1

    @property
    def pages(self):
        return max(1, min(MAX_PAGE, -(-self.total // self.page_size)))


def run_search(data, engine=None, thesaurus=None):
    """data: a SearchForm's cleaned_data. Raises EngineUnavailable when no engine can answer."""
    engine = engine or get_engine()
    started = time.perf_counter()
    plan = parse_query(data.get("q") or "", thesaurus or thesaurus_store.current())
    filters = Filters(**{f: data.get(f) or "" for f in ("type", "topic", "law", "level", "status")})
    page, size = data["page"], data["page_size"]
    chosen, facets, laws = answers(plan, filters, engine)
    hits, total = [s.hit for s in chosen], len(chosen)
    cited = cited_document(data.get("q") or "") if filters.type in ("", "statute") else None
    if cited is not None:
        hits, added = put_cited_first(hits, cited, len(hits) + 1)
        total += added
    answer = SearchAnswer(
        query=plan.text,
        plan=plan,
        total=total,
        page=page,
        page_size=size,
        results=[result_item(hit, plan) for hit in hits[(page - 1) * size : page * size]],
        facets=facet_items(facets, filters, laws),
        engine=engine.name,
    )
    answer.did_you_mean = did_you_mean(plan, answer.total, engine)
    answer.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return answer


def warm_up(engine=None):
    """Load what a worker's first searches would otherwise load inside their requests: the
    analyser's dictionary with every law name, the thesaurus and its table of sounds, the index
    and its documents, folded; then ask one question, which loads the rest (stop words,
    question intents, OpenCC, pinyin). An engine that cannot answer yet (no index built,
    Elasticsearch down) is left to the first search."""
    started = time.perf_counter()
    engine = engine or get_engine()
    thesaurus = thesaurus_store.current()
    thesaurus.sounds()
    data = {"q": WARM_UP_QUESTION, "page": 1, "page_size": DEFAULT_PAGE_SIZE}
    try:
        ranking.prepare(engine.warm_up())
        run_search(data | dict.fromkeys(FACETS, ""), engine=engine, thesaurus=thesaurus)
    except EngineUnavailable as exc:
        logger.info("search warm-up without the engine: %s", exc)
    get_template("search/search.html")  # compiled once, with the templates it extends
    logger.info("search warmed up in %.0f ms", (time.perf_counter() - started) * 1000)


def answers(plan, filters=NO_FILTERS, engine=None):
    """The answers to a question that pass the relevance cut-off, best first (those the filters
    choose), and the facet counts over all of them (each facet counted without its own filter;
    the status facet also counts repealed and historical texts, so they can be asked for)."""
    engine = engine or get_engine()
    if plan.is_empty:
        return [], {f: {} for f in FACETS}, {}
    frequencies, total = engine.frequencies(plan)
    wide = plan.widen()

    def candidates(chosen_filters, include_repealed=False):
        found = engine.search(
            wide,
            chosen_filters,
            limit=ranking.CANDIDATES,
            facets=False,
            include_repealed=include_repealed,
        )
        return ranking.answering(plan, found.hits, frequencies, total)

    everything = candidates(NO_FILTERS, include_repealed=True)
    if filters == NO_FILTERS:
        # The question as citizens ask it: its answers are the texts in force among the
        # answers already weighed (one search, not two).
        chosen = [s for s in everything if s.hit.document.in_force]
    else:
        chosen = candidates(filters)
    chosen = best_answer_first(ranking.ranked(chosen, plan))
    return chosen, count_facets(everything, filters), law_labels(everything)


def log_search(answer):
    """Count the question for the editors' report (first pages only: paging is not asking)."""
    if answer.page == 1 and not answer.plan.is_empty:
        SearchQueryStat.objects.record(logged_query(answer.query), answer.total)


def log_click(query):
    """A result of `query` was opened (the search page's beacon); False if it was not asked."""
    return bool(SearchQueryStat.objects.record_click(logged_query(query)))


def logged_query(query):
    return " ".join(fold(query or "").split())[:MAX_QUERY_CHARS]


def best_answer_first(scored):
    """The best statute articles first, then the 普法 articles and videos, then the other
    articles: a question is answered by the law, explained by the pieces written about it."""
    statutes = [s for s in scored if s.hit.document.type == STATUTE]
    pages = [s for s in scored if s.hit.document.type != STATUTE]
    return statutes[:BEST_ANSWERS] + pages + statutes[BEST_ANSWERS:]


def count_facets(scored, filters):
    counts = {facet: {} for facet in FACETS}
    others = {facet: filters.without(facet).items() for facet in FACETS}
    for s in scored:
        doc = s.hit.document
        for facet in FACETS:
            if not doc.in_force and not (facet == "status" or filters.status):
                continue
            if any(_value(doc, f) != v for f, v in others[facet]):
                continue
            value = _value(doc, facet)
            if value:
                counts[facet][value] = counts[facet].get(value, 0) + 1
    return counts


def law_labels(scored):
    """{law_id: law name} of the laws among the answers (the law facet's labels)."""
    return {s.hit.document.law_id: s.hit.document.law_name for s in scored if s.hit.document.law_id}


def _value(doc, facet):
    return getattr(doc, FACET_FIELDS[facet])


def result_item(hit, plan):
    doc = hit.document
    return {
        "type": doc.type,
        "type_label": str(TYPE_LABELS[doc.type]),
        "title": doc.title,
        "title_html": mark(doc.title, plan),
        "url": doc.url,
        "snippet": snippet(doc.body, plan),
        "score": round(hit.score, 4),
        "topic": doc.topic or None,
        "law_id": doc.law_id or None,
        "law_name": doc.law_name or None,
        "article_no": doc.article_no or None,
        "status": doc.status or None,
        "in_force": doc.in_force,
        "published": doc.published or None,
        "key": doc.key,
    }


def facet_items(facets, filters, law_names):
    """Facets as lists of {value, label, count, selected}, laws labelled by name."""
    labels = {"type": {k: str(v) for k, v in TYPE_LABELS.items()}, "law": law_names}
    return {
        facet: [
            {
                "value": value,
                "label": labels.get(facet, {}).get(value, value),
                "count": count,
                "selected": getattr(filters, facet) == value,
            }
            for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        for facet, counts in facets.items()
    }


def did_you_mean(plan, total, engine):
    """The query as searched when it differs from what was typed (traditional folded to
    simplified, a mistyped legal term put right); or, when nothing was found, a known title
    starting like the query."""
    if plan.is_empty:
        return ""
    if plan.corrected:
        return plan.corrected
    if plan.changed_script and plan.folded.strip() != plan.text.strip():
        return plan.folded
    if total:
        return ""
    completions = engine.suggest(plan.folded, limit=1)
    return completions[0].text if completions else ""


def suggest(q, engine=None):
    q = (q or "").strip()[:MAX_QUERY_CHARS]
    if not q:
        return []
    return [
        {"text": s.text, "type": s.type, "url": s.url} for s in (engine or get_engine()).suggest(q)
    ]
