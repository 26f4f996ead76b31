"""The public search page (/search/): parse the form, ask the search service, render."""

from django.shortcuts import render

from search.engines import EngineUnavailable
from search.service import FACET_LABELS, SearchForm, run_search


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
            add_facet_links(answer.facets, request.GET)
            context["answer"] = answer
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
