from django.urls import path, register_converter

from content import views


class ArticleKeyConverter:
    """An article's identity in a URL: 133, 133-1 (第一百三十三条之一) or item-3 (条目三)."""

    regex = r"[0-9]+(?:-[0-9]+)?|item-[0-9]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(ArticleKeyConverter, "article")

urlpatterns = [
    path("", views.statute_index, name="statute_index"),
    path("<str:law_id>/", views.statute_detail, name="statute_detail"),
    path("<str:law_id>/<article:key>/", views.statute_article, name="statute_article"),
]
