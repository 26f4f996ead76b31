from django.urls import path

from content import views

urlpatterns = [
    path("", views.statute_index, name="statute_index"),
    path("<str:law_id>/", views.statute_detail, name="statute_detail"),
    path("<str:law_id>/<int:position>/", views.statute_article, name="statute_article"),
]
