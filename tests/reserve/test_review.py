"""The pool's review (复核, issue 20): every active reserve cadre screened in batches against
R24's bars today; those who fail are listed with the reason, the others are not."""

import datetime as dt

from django.urls import reverse

from .conftest import grade


def test_review_lists_who_no_longer_meets_the_bars(client_for, cast, young, enter, clerk, django_assert_max_num_queries):
    clean = young("周青")
    slipped = young("吴敏", birth=dt.date(1987, 2, 2))
    enter(clean)
    enter(slipped)
    grade(slipped, dt.date.today().year - 1, "incompetent")  # after entry: the review must find it
    page = client_for(cast["users"]["org_admin"]).get(reverse("reserve:review"))
    body = page.content.decode()
    assert page.status_code == 200
    table = body[body.index('id="review-table"'):]
    assert "吴敏" in table and "不称职" in table
    assert "周青" not in table
    with django_assert_max_num_queries(40):
        client_for(cast["users"]["org_admin"]).get(reverse("reserve:review"))
    assert client_for(cast["users"]["voter"]).get(reverse("reserve:review")).status_code in (302, 403)
