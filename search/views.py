"""The public search page (/search/): parse the form, ask the search service, render. A question
answered by a statute article shows that article in full, with its law and the 普法 pieces that
cite it, before the other results."""

from django.shortcuts import render

from content.citing import citing_pages
from search.documents import STATUTE, statute_article_for_key
from search.engines import EngineUnavailable
from search.highlight import mark_lines
from search.service import FACET_LABELS, SearchForm, log_search, run_search

ALSO_SHOWN = 2  # other articles listed under the best answer


def search_page(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "answer": None, "facet_labels": FACET_LABELS}
    status = 200
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        try:
            answer = run_search(form.cleaned_data)
        except EngineUnavailable:
            context["unavailable"] = True
            status = 503
        else:
            log_search(answer)
            add_facet_links(answer.facets, request.GET)
            context["answer"] = answer
            context["best"] = best_answer(answer)
    elif form.is_bound and form.errors:
        status = 400
    return render(request, "search/search.html", context, status=status)


def add_facet_links(facets, params):
    """Each facet value links to the same search with that value chosen (or, if it is chosen
    already, without it), back on the first page."""
    for facet, items in facets.items():
        for item in items:
            query = params.copy()
            query.pop("page", None)
            if item["selected"]:
                query.pop(facet, None)
            else:
                query[facet] = item["value"]
            item["href"] = "?" + query.urlencode()


def best_answer(answer):
    """The first result when it is a statute article on the first page: its full text with the
    question's words marked, its law, and the live pages that cite it."""
    first = answer.results[0] if answer.results and answer.page == 1 else None
    if first is None or first["type"] != STATUTE:
        return None
    article = statute_article_for_key(first["key"])
    if article is None:
        return None
    return {
        "result": first,
        "law_url": article.statute.get_absolute_url(),
        "text_html": mark_lines(article.text, answer.plan),
        "citing": citing_pages(article),
        # The next articles in a line each, so a phone's first screen shows them too.
        "also": [r for r in answer.results[1:] if r["type"] == STATUTE][:ALSO_SHOWN],
    }
