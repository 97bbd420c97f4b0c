"""The public portal links the published meeting results, and each result links its ballot
file and receipt list (issue 11: they could only be reached by typing the address)."""

import pytest
from django.test import Client
from django.urls import reverse

from gongxin.meetings.models import Meeting, MeetingStatus

pytestmark = pytest.mark.django_db


def test_portal_links_meeting_results_and_each_links_its_files(draft_meeting):
    home = Client().get("/public/").content.decode()
    assert 'href="/public/meetings/"' in home
    Meeting.objects.filter(pk=draft_meeting.pk).update(status=MeetingStatus.PUBLISHED)  # as if published
    listing = Client().get(reverse("meetings_public:list")).content.decode()
    assert reverse("meetings_public:ballots_file", args=[draft_meeting.pk]) in listing
    assert reverse("meetings_public:receipts_file", args=[draft_meeting.pk]) in listing
