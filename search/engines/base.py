"""The one interface both engines implement, and the shapes they answer with. Callers build a
QueryPlan with search.analysis.parse_query and Filters from what the user chose."""

import functools
from dataclasses import dataclass, field

from search.analysis import fold
from search.documents import SearchDocument

FACETS = ("type", "topic", "law", "level", "status")
# Where each facet lives in the index.
FACET_FIELDS = {
    "type": "type",
    "topic": "topic",
    "law": "law_id",
    "level": "level",
    "status": "status",
}
FACET_SIZE = 30
SUGGEST_LIMIT = 8
# Relative weight of where a term matched: a title match outranks a body match; a query that
# names a law ranks that law's articles first.
TITLE_BOOST = 3.0
LAW_NAME_BOOST = 1.0
NAMED_LAW_BOOST = 8.0
WORD_BOOST = 0.5
COVERAGE_BOOST = 1.0


class EngineUnavailable(Exception):
    """The engine cannot be reached or read now; callers keep changes queued and retry."""


@dataclass(frozen=True)
class Filters:
    type: str = ""
    topic: str = ""
    law: str = ""  # law_id
    level: str = ""
    status: str = ""  # empty: statutes in force only

    def without(self, facet):
        return Filters(**{f: ("" if f == facet else getattr(self, f)) for f in FACETS})

    def items(self):
        return [(f, getattr(self, f)) for f in FACETS if getattr(self, f)]


NO_FILTERS = Filters()


@dataclass
class Hit:
    document: SearchDocument
    score: float


@dataclass
class Results:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    text: str
    type: str
    url: str


def suggestion_terms(doc):
    """Prefix keys for completions: a page's title, a law's full and short name (laws in force
    only), each as "folded key\\x1fshown text\\x1ftype\\x1furl"."""
    if doc.type == "statute":
        if not doc.in_force:
            return []
        return _law_suggestion_terms(doc.law_id, doc.law_name, doc.law_short_name)
    return [f"{fold(doc.title)}\x1f{doc.title}\x1f{doc.type}\x1f{doc.url}"]


@functools.lru_cache(maxsize=2048)
def _law_suggestion_terms(law_id, name, short_name):
    url = f"/laws/{law_id}/"
    names = dict.fromkeys(n for n in (name, short_name) if n)
    return [f"{fold(n)}\x1f{name}\x1fstatute\x1f{url}" for n in names]


def parse_suggestion_term(term):
    _, text, kind, url = term.split("\x1f")
    return Suggestion(text=text, type=kind, url=url)


class SearchEngine:
    name = ""

    def exists(self):
        """True when an index has been built (and matches this version of the schema)."""
        raise NotImplementedError

    def rebuild(self, documents, total=None, progress=None):
        """Build a new index from all documents and switch readers to it at once."""
        raise NotImplementedError

    def index_documents(self, documents):
        raise NotImplementedError

    def delete_keys(self, keys):
        raise NotImplementedError

    def search(
        self, plan, filters=NO_FILTERS, offset=0, limit=10, facets=True, include_repealed=False
    ):
        """Documents matching the plan, in the engine's own BM25 order. Repealed and historical
        texts only when the status filter asks for them, or with include_repealed."""
        raise NotImplementedError

    def frequencies(self, plan):
        """([documents holding each group of the plan in their own text], documents in all)."""
        raise NotImplementedError

    def suggest(self, prefix, limit=SUGGEST_LIMIT):
        raise NotImplementedError

    def stamps(self):
        """{key: stamp} of every indexed document, for search_verify."""
        raise NotImplementedError

    def health(self):
        """(ok, detail in Chinese)."""
        raise NotImplementedError

    def warm_up(self):
        """Open the index and load what searches read from it, before a web worker takes
        requests; returns the documents loaded (none by default: an engine that sends them
        with each answer has nothing to load)."""
        return []
