from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events/<int:seq>/", views.event_detail, name="event_detail"),
    path("checkpoints/", views.checkpoint_list, name="checkpoint_list"),
]
