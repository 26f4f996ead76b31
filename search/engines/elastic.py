"""The Elasticsearch engine (an Elasticsearch 8 cluster, chosen by ELASTICSEARCH_URL), through
the DSL's Document classes (imported from elasticsearch.dsl, where the DSL is maintained).

Text is analysed by Elasticsearch: the built-in cjk chain (width folding, lower case, bigrams)
by default; the stconvert plugin's traditional → simplified folding and the IK plugin's
segmentation when the cluster has them (detected when the engine starts). Queries are planned by
our own analysis (search.analysis), like the embedded engine's, so both behave alike: each word
a phrase, synonyms as alternatives, a minimum number of words that must match.

Indexes are versioned behind an alias: a rebuild creates a new index (from an index template),
bulk-loads it, and swaps the alias in one atomic request before deleting the old index."""

import logging
import re
import time

from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.dsl import (
    Document,
    Index,
    Keyword,
    MetaField,
    Q,
    Search,
    Text,
    analyzer,
    char_filter,
    token_filter,
)

from search.documents import FIELD_NAMES, IN_FORCE_STATUSES, STATUSES, SearchDocument

from .base import (
    COVERAGE_BOOST,
    FACET_FIELDS,
    FACET_SIZE,
    FACETS,
    LAW_NAME_BOOST,
    NAMED_LAW_BOOST,
    NO_FILTERS,
    SUGGEST_LIMIT,
    TITLE_BOOST,
    EngineUnavailable,
    Hit,
    Results,
    SearchEngine,
    parse_suggestion_term,
    suggestion_terms,
)

logger = logging.getLogger(__name__)

BULK_CHUNK = 500
IK_PLUGIN = "analysis-ik"
STCONVERT_PLUGIN = "analysis-stconvert"
HIDDEN_STATUSES = [s for s in STATUSES if s not in IN_FORCE_STATUSES]
# Lucene regular expressions reserve these characters (for the suggestion "include" pattern).
LUCENE_REGEX_SPECIAL = re.compile(r'([.?+*|{}\[\]()"\\#@&<>~])')


def text_analyzers(plugins):
    """The analyzers for Chinese text given the cluster's plugins: (index, search, chars)."""
    char_filters = []
    if STCONVERT_PLUGIN in plugins:
        char_filters = [
            char_filter("t2s_convert", type="stconvert", convert_type="t2s", delimiter="#")
        ]
    if IK_PLUGIN in plugins:
        index = analyzer(
            "pufa_index",
            tokenizer="ik_max_word",
            char_filter=char_filters,
            filter=["cjk_width", "lowercase"],
        )
        search = analyzer(
            "pufa_search",
            tokenizer="ik_smart",
            char_filter=char_filters,
            filter=["cjk_width", "lowercase"],
        )
    else:
        bigram = token_filter("pufa_bigram", type="cjk_bigram", output_unigrams=False)
        index = search = analyzer(
            "pufa_text",
            tokenizer="standard",
            char_filter=char_filters,
            filter=["cjk_width", "lowercase", bigram],
        )
    # Single characters (the standard tokenizer splits Han text into characters): for queries
    # of one character.
    chars = analyzer(
        "pufa_chars",
        tokenizer="standard",
        char_filter=char_filters,
        filter=["cjk_width", "lowercase"],
    )
    return index, search, chars


def document_class(plugins):
    """The Document class for this cluster's analysis (the mapping depends on its plugins)."""
    index_analyzer, search_analyzer, chars_analyzer = text_analyzers(plugins)

    def chinese(**extra):
        return Text(analyzer=index_analyzer, search_analyzer=search_analyzer, **extra)

    class SearchEntry(Document):
        key = Keyword()
        type = Keyword()
        title = chinese(fields={"chars": Text(analyzer=chars_analyzer)})
        body = chinese(fields={"chars": Text(analyzer=chars_analyzer)})
        url = Keyword(index=False)
        topic = Keyword()
        law_id = Keyword()
        law_name = chinese()
        law_short_name = Keyword(index=False)
        law_names = Keyword()  # folded full and short names: a query naming the law
        article_no = Keyword(index=False)
        level = Keyword()
        status = Keyword()
        published = Keyword()
        suggest = Keyword()
        stamp = Keyword(index=False)

        class Meta:
            dynamic = MetaField("strict")

    return SearchEntry


def build_index(name, plugins):
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, refresh_interval="1s")
    index.document(document_class(plugins))
    return index


def to_source(doc):
    from search.analysis import fold

    return doc.as_dict() | {
        "law_names": sorted({fold(doc.law_name), fold(doc.law_short_name)} - {""}),
        "suggest": suggestion_terms(doc),
    }


def index_actions(index, documents):
    for doc in documents:
        yield {"index": {"_index": index, "_id": doc.key}}, to_source(doc)


def from_source(source):
    return SearchDocument(**{name: source.get(name, "") for name in FIELD_NAMES})


# Queries ------------------------------------------------------------------------------------


def term_query(term, law=True):
    """Where one term of a plan may match: a Han word as a phrase (its bigrams in order, as in
    the embedded engine), one character on the character subfields, Latin as a word; in the
    law's name too unless `law` is false."""
    fields = [f"title^{TITLE_BOOST:g}", "body"] + ([f"law_name^{LAW_NAME_BOOST:g}"] if law else [])
    if term.is_han and len(term.text) == 1:
        return Q("multi_match", query=term.text, fields=["title.chars^3", "body.chars"])
    if term.is_han:
        return Q("multi_match", query=term.text, type="phrase", fields=fields)
    return Q("multi_match", query=term.text, fields=fields)


def text_query(plan):
    groups = [Q("bool", should=[term_query(t) for t in group]) for group in plan.groups]
    matched = Q("bool", should=groups, minimum_should_match=plan.minimum_should_match)
    bonus = []
    if len(groups) > 1:
        # Coverage: a document with every word of the question scores that match again.
        bonus.append(Q("bool", must=groups, boost=COVERAGE_BOOST))
    bonus += [
        Q("constant_score", filter=Q("term", law_names=name), boost=NAMED_LAW_BOOST)
        for name in plan.law_names
    ]
    return Q("bool", must=[matched], should=bonus) if bonus else matched


def filter_query(filters, hide_repealed=True):
    clauses = [Q("term", **{FACET_FIELDS[facet]: value}) for facet, value in filters.items()]
    must_not = []
    if hide_repealed and not filters.status:
        must_not = [Q("terms", status=HIDDEN_STATUSES)]
    return Q("bool", filter=clauses, must_not=must_not)


def search_body(plan, filters=NO_FILTERS, offset=0, limit=10, facets=True, include_repealed=False):
    """The request body of a search: the text query, the filters as a post_filter (so each
    facet can be counted without its own filter, as in the embedded engine), one filtered
    aggregation per facet."""
    s = Search().query(text_query(plan))
    s = s.post_filter(filter_query(filters, hide_repealed=not include_repealed))
    s = s.extra(from_=offset, size=limit, track_total_hits=True)
    if facets:
        for facet in FACETS:
            facet_filter = filter_query(filters.without(facet), hide_repealed=facet != "status")
            s.aggs.bucket(facet, "filter", filter=facet_filter).bucket(
                "values", "terms", field=FACET_FIELDS[facet], size=FACET_SIZE
            )
    return s.to_dict()


def frequencies_body(plan):
    """One request counting the documents that hold each group of the plan in their own text
    (a filter aggregation per group over the whole index), and all documents."""
    s = Search().extra(size=0, track_total_hits=True)
    for i, group in enumerate(plan.groups):
        s.aggs.bucket(
            f"g{i}", "filter", filter=Q("bool", should=[term_query(t, False) for t in group])
        )
    return s.to_dict()


def suggest_body(folded, limit=SUGGEST_LIMIT):
    # Keys start with the folded text (then \x1f and what is shown): keep those starting so.
    pattern = LUCENE_REGEX_SPECIAL.sub(r"\\\1", folded) + ".*"
    s = Search().query(Q("prefix", suggest=folded)).extra(size=0)
    s.aggs.bucket("suggest", "terms", field="suggest", include=pattern, size=limit * 4)
    return s.to_dict()


# The engine ---------------------------------------------------------------------------------


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(self, url, alias, client=None):
        self.alias = alias
        self.client = client or Elasticsearch(url, request_timeout=10, retry_on_timeout=True)
        self._plugins = None

    @property
    def template_name(self):
        return f"{self.alias}-template"

    def plugins(self):
        """The analysis plugins the cluster has (asked once)."""
        if self._plugins is None:
            try:
                rows = self.client.cat.plugins(format="json")
            except (ApiError, TransportError) as exc:
                raise EngineUnavailable(f"无法连接 Elasticsearch：{exc}") from exc
            self._plugins = frozenset(row["component"] for row in rows)
        return self._plugins

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except TransportError as exc:
            raise EngineUnavailable(f"无法连接 Elasticsearch：{exc}") from exc

    def exists(self):
        return bool(self._call(self.client.indices.exists_alias, name=self.alias))

    def put_template(self):
        """Every index named <alias>-* gets our settings and mapping."""
        index = build_index(f"{self.alias}-*", self.plugins())
        template = index.as_composable_template(self.template_name, priority=100).to_dict()
        self._call(self.client.indices.put_index_template, name=self.template_name, **template)

    def rebuild(self, documents, total=None, progress=None):
        self.put_template()
        new_index = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}"
        self._call(self.client.indices.create, index=new_index)
        count = 0
        try:
            count = self._bulk(new_index, index_actions(new_index, documents))
            self._call(self.client.indices.refresh, index=new_index)
        except BaseException:
            self._call(self.client.indices.delete, index=new_index, ignore_unavailable=True)
            raise
        self.swap_alias(new_index)
        return count

    def swap_alias(self, new_index):
        """Point the alias at the new index in one atomic request, then drop the old ones."""
        try:
            current = list(self.client.indices.get_alias(name=self.alias))
        except ApiError as exc:
            if exc.meta.status != 404:
                raise EngineUnavailable(str(exc)) from exc
            current = []
        actions = [{"remove": {"index": old, "alias": self.alias}} for old in current]
        actions.append({"add": {"index": new_index, "alias": self.alias, "is_write_index": True}})
        self._call(self.client.indices.update_aliases, actions=actions)
        for old in current:
            self._call(self.client.indices.delete, index=old, ignore_unavailable=True)

    def _bulk(self, index, pairs, refresh=None):
        """Send index/delete actions in chunks; refresh="wait_for" returns only once the
        change is searchable (the worker's writes: a published page is findable at once)."""
        count, chunk = 0, []
        options = {"refresh": refresh} if refresh else {}

        def flush():
            if not chunk:
                return
            answer = self._call(self.client.bulk, operations=list(chunk), index=index, **options)
            if answer.get("errors"):
                failed = [i for i in answer["items"] if next(iter(i.values())).get("error")]
                failed = [i for i in failed if next(iter(i.values())).get("status") != 404]
                if failed:
                    raise EngineUnavailable(
                        f"Elasticsearch 拒绝了 {len(failed)} 条写入：{failed[0]}"
                    )
            chunk.clear()

        for action, source in pairs:
            chunk.append(action)
            if source is not None:
                chunk.append(source)
            count += 1
            if len(chunk) >= BULK_CHUNK * 2:
                flush()
        flush()
        return count

    def index_documents(self, documents):
        self._bulk(self.alias, index_actions(self.alias, documents), refresh="wait_for")

    def delete_keys(self, keys):
        deletes = (({"delete": {"_index": self.alias, "_id": k}}, None) for k in keys)
        self._bulk(self.alias, deletes, refresh="wait_for")

    def search(
        self, plan, filters=NO_FILTERS, offset=0, limit=10, facets=True, include_repealed=False
    ):
        if plan.is_empty:
            return Results(total=0, hits=[], facets={f: {} for f in FACETS} if facets else {})
        body = search_body(plan, filters, offset, limit, facets, include_repealed)
        answer = self._call(self.client.search, index=self.alias, **body)
        hits = [Hit(from_source(h["_source"]), h["_score"] or 0.0) for h in answer["hits"]["hits"]]
        results = Results(total=answer["hits"]["total"]["value"], hits=hits)
        if facets:
            results.facets = {
                facet: {
                    b["key"]: b["doc_count"]
                    for b in answer["aggregations"][facet]["values"]["buckets"]
                    if b["key"]
                }
                for facet in FACETS
            }
        return results

    def frequencies(self, plan):
        if plan.is_empty:
            return [], self.count()
        answer = self._call(self.client.search, index=self.alias, **frequencies_body(plan))
        counts = [answer["aggregations"][f"g{i}"]["doc_count"] for i in range(len(plan.groups))]
        return counts, answer["hits"]["total"]["value"]

    def suggest(self, prefix, limit=SUGGEST_LIMIT):
        from search.analysis import fold

        folded = fold(prefix.strip())
        if not folded:
            return []
        answer = self._call(self.client.search, index=self.alias, **suggest_body(folded, limit))
        suggestions, seen = [], set()
        for bucket in answer["aggregations"]["suggest"]["buckets"]:
            suggestion = parse_suggestion_term(bucket["key"])
            if suggestion.url not in seen:
                seen.add(suggestion.url)
                suggestions.append(suggestion)
        return suggestions[:limit]

    def stamps(self):
        result = {}
        answer = self._call(
            self.client.search,
            index=self.alias,
            scroll="2m",
            size=2000,
            source=["key", "stamp"],
            query={"match_all": {}},
        )
        while answer["hits"]["hits"]:
            for hit in answer["hits"]["hits"]:
                result[hit["_source"]["key"]] = hit["_source"]["stamp"]
            answer = self._call(self.client.scroll, scroll_id=answer["_scroll_id"], scroll="2m")
        self._call(self.client.clear_scroll, scroll_id=answer["_scroll_id"])
        return result

    def count(self):
        return self._call(self.client.count, index=self.alias)["count"]

    def health(self):
        try:
            status = self._call(self.client.cluster.health)["status"]
            return status in ("green", "yellow"), f"Elasticsearch 集群状态 {status}"
        except EngineUnavailable as exc:
            return False, str(exc)
