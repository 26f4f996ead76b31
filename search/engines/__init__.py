"""Chosen by settings: ELASTICSEARCH_URL set → Elasticsearch, unset → the embedded engine."""

import functools

from django.conf import settings

from .base import EngineUnavailable, Filters, SearchEngine

__all__ = ["EngineUnavailable", "Filters", "SearchEngine", "get_engine", "reset_engine"]


@functools.cache
def get_engine():
    if settings.ELASTICSEARCH_URL:
        from .elastic import ElasticsearchEngine

        return ElasticsearchEngine(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX)
    from .embedded import EmbeddedEngine

    return EmbeddedEngine(settings.SEARCH_INDEX_DIR)


def reset_engine():
    """Forget the engine (settings changed, e.g. in tests)."""
    get_engine.cache_clear()
