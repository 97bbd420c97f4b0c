"""Mounted at /public/ under the namespace "meetings_public": no login."""

from django.urls import path

from . import public_views as views

urlpatterns = [
    path("meetings/", views.published_list, name="list"),
    path("meetings/vote/", views.vote, name="vote"),
    path("meetings/vote/done/", views.vote_done, name="vote_done"),
    path("meetings/receipt/", views.receipt_check, name="receipt"),
    path("meetings/<int:meeting_id>/", views.notice, name="notice"),
    path("meetings/<int:meeting_id>/ballots.json", views.ballots_file, name="ballots_file"),
    path("meetings/<int:meeting_id>/receipts.txt", views.receipts_file, name="receipts_file"),
]
