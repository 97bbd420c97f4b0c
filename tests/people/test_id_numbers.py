"""Full 身份证号: shown only to roles allowed to see them, and every showing is logged
(issue 12, item 4)."""

import pytest
from django.test import Client
from django.urls import reverse

from gongxin.accounts import actions as account_actions
from gongxin.people.models import AccessLog

pytestmark = pytest.mark.django_db


def _id_rows(user, cadre=None):
    rows = AccessLog.objects.filter(user=user, what=AccessLog.What.ID_NUMBER)
    return rows.filter(cadre=cadre) if cadre is not None else rows


def test_the_edit_form_keeps_the_number_masked_for_a_township_clerk(cast, client_for):
    clerk, zhang = cast["users"]["clerk"], cast["cadres"]["zhang"]
    c = client_for(clerk)
    page = c.get(reverse("people:cadre_edit", args=[zhang.pk])).content.decode()
    assert zhang.id_number not in page
    assert zhang.masked_id_number in page
    assert not _id_rows(clerk).exists()


def test_saving_the_form_with_the_masked_number_keeps_the_stored_one(cast, client_for):
    clerk, zhang = cast["users"]["clerk"], cast["cadres"]["zhang"]
    c = client_for(clerk)
    form = c.get(reverse("people:cadre_edit", args=[zhang.pk])).context["form"]
    data = {name: value for name, value in
            ((n, form[n].value()) for n in form.fields) if value is not None}
    # (rank and current post change only through appointment or a correction: issue 11)
    data.update({"org_unit": zhang.org_unit_id, "expertise": "财政预算管理", "party_joined": "",
                 "work_started": "2007-07"})
    response = c.post(reverse("people:cadre_edit", args=[zhang.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    zhang.refresh_from_db()
    assert zhang.expertise == "财政预算管理"
    assert "*" not in zhang.id_number and len(zhang.id_number) == 18


def test_an_admin_sees_the_full_number_on_the_edit_form_and_it_is_logged(cast, client_for):
    admin, zhang = cast["users"]["org_admin"], cast["cadres"]["zhang"]
    page = client_for(admin).get(reverse("people:cadre_edit", args=[zhang.pk])).content.decode()
    assert zhang.id_number in page
    assert _id_rows(admin, zhang).count() == 1


def test_the_api_list_logs_every_full_number_it_shows(cast):
    admin = cast["users"]["org_admin"]
    token = account_actions.issue_api_token(acting_user=None, user=admin, name="t")
    body = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/people/cadres").json()
    shown = {row["id"] for row in body["items"] if "*" not in row["id_number"]}
    assert shown == {c.pk for c in cast["cadres"].values()}
    assert set(_id_rows(admin).values_list("cadre_id", flat=True)) == shown


def test_the_api_list_masks_numbers_for_a_clerk_and_logs_nothing(cast):
    clerk = cast["users"]["clerk"]
    token = account_actions.issue_api_token(acting_user=None, user=clerk, name="t")
    body = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/people/cadres").json()
    assert body["items"] and all("*" in row["id_number"] for row in body["items"])
    assert not _id_rows(clerk).exists()
