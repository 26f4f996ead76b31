from django.shortcuts import get_object_or_404, render

from content.models import Statute, StatuteArticle


def statute_index(request):
    statutes = Statute.objects.in_force().order_by("name")
    return render(request, "content/statute_index.html", {"statutes": statutes})


def statute_detail(request, law_id):
    statute = get_object_or_404(Statute, law_id=law_id)
    return render(
        request,
        "content/statute_detail.html",
        {"statute": statute, "articles": statute.articles.all()},
    )


def statute_article(request, law_id, position):
    article = get_object_or_404(
        StatuteArticle.objects.select_related("statute"), statute__law_id=law_id, position=position
    )
    return render(request, "content/statute_article.html", {"article": article})
