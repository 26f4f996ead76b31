"""Find an article by its citation: a query that names a law and an article (民法典第1254条,
《民法典》第一千二百五十四条, 刑法133条之一, 劳动合同法 第82条) is answered with that article first,
in the page and the API, whatever the engine ranks. Parsing the citation and finding the law
by name are the statute library's (content); this module only puts the article in front."""

from types import SimpleNamespace

from content.amendments import amendments_by_article
from content.blocks import find_article
from content.citations import find_citation
from content.lawnames import resolve_law
from search.documents import statute_document


def cited_document(query):
    """The SearchDocument of the article a query cites, or None if it cites none we have."""
    citation = find_citation(query)
    if citation is None:
        return None
    statute = resolve_law(citation.law).statute
    article = find_article(statute, citation.article) if statute else None
    if article is None:
        return None
    return statute_document(article, statute, amendments_by_article(statute))


def put_cited_first(hits, document, limit):
    """The hits of the first page with the cited article's hit in front (moved there if the
    engine found it too), still at most `limit` long. Returns (hits, whether it was added)."""
    rest = [hit for hit in hits if hit.document.key != document.key]
    score = max((hit.score for hit in hits), default=0.0)
    cited = SimpleNamespace(document=document, score=score)
    return [cited, *rest][:limit], len(rest) == len(hits)
