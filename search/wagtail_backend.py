"""Wagtail's own search (admin page explorer, page/image/media/snippet choosers) with our
Chinese analysis. Set as WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.wagtail_backend".

On SQLite, Wagtail's database backend stores text in an FTS5 table whose tokenizer keeps a run of
Chinese characters as one token, so 诈骗 never matches 警惕新型电信网络诈骗. Here the same backend
stores our analysed tokens instead (bigrams and single characters, space-separated, which FTS5
splits on), and queries are analysed the same way, so a two-character word inside a title is
found, traditional queries find simplified titles, and a stray quote is no syntax error.
With ELASTICSEARCH_URL set, Wagtail's Elasticsearch 8 backend is used with the cjk analyser."""

import functools

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from modelsearch.query import PlainText

from search.analysis import analyzed_text, grams_of
from search.query import parse_query

ANALYSED_FIELDS = ("title", "body", "autocomplete")

# Wagtail's Elasticsearch backend: analyse every text field with bigrams and width folding.
ELASTICSEARCH_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["cjk_width", "lowercase", "cjk_bigram"],
                },
                "edgengram_analyzer": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["cjk_width", "lowercase", "cjk_bigram", "edgengram"],
                },
            }
        }
    }
}


def query_tokens(query_string):
    """The FTS tokens a query must all match: the bigrams of each of its words (a single
    character stays itself), stop words dropped."""
    plan = parse_query(query_string)
    tokens = [gram for group in plan.groups for gram in grams_of(group[0].text)]
    return list(dict.fromkeys(tokens))


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    if settings.ELASTICSEARCH_URL:
        from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchBackend

        params = {
            "URLS": [settings.ELASTICSEARCH_URL],
            "INDEX_PREFIX": f"{settings.ELASTICSEARCH_INDEX}-wagtail-",
            "INDEX_SETTINGS": ELASTICSEARCH_INDEX_SETTINGS,
            **params,
        }
        return Elasticsearch8SearchBackend(params)
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available

        if fts5_available():
            return _chinese_sqlite_backend()(params)
    # PostgreSQL without Elasticsearch: Wagtail's database backend as it is.
    from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend

    return DatabaseSearchBackend(params)


@functools.cache
def _chinese_sqlite_backend():
    # Imported here: the SQLite backend module needs the app registry to be ready.
    from modelsearch.backends.database.sqlite.sqlite import (
        IndexEntry,
        SQLiteAutocompleteQueryCompiler,
        SQLiteIndex,
        SQLiteSearchBackend,
        SQLiteSearchQueryCompiler,
    )

    class AnalysedEntryQuerySet(QuerySet):
        """Index entries whose text is stored as our tokens, whichever way it is written."""

        def update(self, **kwargs):
            for name in ANALYSED_FIELDS:
                if isinstance(kwargs.get(name), str):
                    kwargs[name] = analyzed_text(kwargs[name])
            return super().update(**kwargs)

        def bulk_create(self, objs, *args, **kwargs):
            for obj in objs:
                for name in ANALYSED_FIELDS:
                    setattr(obj, name, analyzed_text(getattr(obj, name) or ""))
            return super().bulk_create(objs, *args, **kwargs)

    class ChineseSQLiteIndex(SQLiteIndex):
        def __init__(self, backend):
            super().__init__(backend)
            self.entries = AnalysedEntryQuerySet(model=IndexEntry)

    class AnalysedQueryMixin:
        def build_search_query_content(self, query, config=None):
            if isinstance(query, PlainText):
                tokens = query_tokens(query.query_string)
                # Nothing left after analysis (only stop words): match nothing, not everything.
                query = PlainText(" ".join(tokens) or "\u2400", operator="and")
            return super().build_search_query_content(query, config=config)

    class ChineseSearchQueryCompiler(AnalysedQueryMixin, SQLiteSearchQueryCompiler):
        pass

    class ChineseAutocompleteQueryCompiler(AnalysedQueryMixin, SQLiteAutocompleteQueryCompiler):
        pass

    class ChineseSQLiteSearchBackend(SQLiteSearchBackend):
        index_class = ChineseSQLiteIndex
        query_compiler_class = ChineseSearchQueryCompiler
        autocomplete_query_compiler_class = ChineseAutocompleteQueryCompiler

    return ChineseSQLiteSearchBackend
