from django.urls import path

from reach import views

urlpatterns = [
    path("map/", views.public_map, name="public_map"),
    path("reach/channel/", views.channel_page, name="reach_channel_page"),
]
