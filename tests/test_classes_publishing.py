"""Classes follow publishing (issue 22, M2), and pupils rejoin after a lost session or a restore (L5)."""

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from explainer import drafts
from explainer.models import Comparison, Response, Scenario
from explainer.models.classes import Pupil
from tests import factories
from tests.classes_helpers import answer, join, pupil_named
from tests.html import main_text

pytestmark = pytest.mark.django_db

WITHDRAWN = "The editors have withdrawn this comparison for review"


def play_url(school_class):
    return reverse("class_play", args=[school_class.code])


def withdraw(comparison):
    comparison.status = Comparison.Status.DRAFT
    comparison.save()


# A withdrawn comparison closes its classes


def test_a_withdrawn_comparison_refuses_new_pupils_with_a_clear_403(client, school_class):
    withdraw(school_class.comparison)
    for response in (
        client.get(reverse("class_join", args=[school_class.code])),
        client.post(reverse("class_join", args=[school_class.code]), {"nickname": "Late"}),
    ):
        assert response.status_code == 403
        assert "This class is closed" in response.text and WITHDRAWN in response.text
    assert not Pupil.objects.exists()


def test_a_withdrawn_comparison_stops_a_pupils_round_and_shows_none_of_it(school_class):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    answer(client, pupil)
    withdraw(school_class.comparison)
    pupil.refresh_from_db()
    scenario = Scenario.objects.get(pk=pupil.current)
    page = client.get(play_url(school_class))
    assert page.status_code == 403
    assert WITHDRAWN in page.text and scenario.text not in page.text
    assert school_class.comparison.get_absolute_url() not in page.text  # no link to a page that is 404 now
    data = {"scenario": scenario.pk, "choice": scenario.correct_concept_id}
    assert client.post(reverse("class_answer", args=[school_class.code]), data).status_code == 403
    assert client.post(reverse("class_next", args=[school_class.code]), {"position": 1}).status_code == 403
    assert Response.objects.filter(pupil=pupil).count() == 1  # the answer given is kept, none added


def test_the_teacher_sees_the_class_closed_because_withdrawn_with_its_results(teacher_client, school_class):
    client = join(school_class, "Ada")
    answer(client, pupil_named(school_class, "Ada"))
    withdraw(school_class.comparison)
    detail = teacher_client.get(school_class.get_absolute_url())
    assert detail.status_code == 200
    text = main_text(detail)
    assert "Closed because the comparison was withdrawn" in text and "The answers given are kept" in text
    assert "1 pupil" in text and "Ada" in text
    assert "Closed: comparison withdrawn" in main_text(teacher_client.get(reverse("class_list")))
    assert 'data-poll="' not in detail.text  # nothing changes while it is withdrawn


def test_publishing_again_reopens_the_class_where_the_pupil_was(school_class):
    client = join(school_class, "Ada")
    answer(client, pupil_named(school_class, "Ada"))
    withdraw(school_class.comparison)
    assert client.get(play_url(school_class)).status_code == 403
    comparison = Comparison.objects.get(pk=school_class.comparison_id)
    comparison.status = Comparison.Status.PUBLISHED
    comparison.save()
    page = client.get(play_url(school_class))
    assert page.status_code == 200 and "Question 2 of 4" in page.text


def test_a_class_never_shows_a_drafts_edits(school_class, admin_user):
    client = join(school_class, "Ada")
    pupil = pupil_named(school_class, "Ada")
    live = Scenario.objects.get(pk=pupil.current)
    draft = drafts.start(school_class.comparison, admin_user)
    draft.scenarios.filter(draft_of=live).update(text="An edit still in the draft.")
    page = client.get(play_url(school_class))
    assert page.status_code == 200
    assert live.text in page.text and "An edit still in the draft." not in page.text
    # The draft's own rows are never the class's items, and its scenarios are not the class's.
    assert not set(pupil.items) & set(draft.scenarios.values_list("pk", flat=True))


# Rejoining under the same nickname after the session is lost (L5)


def test_a_pupil_whose_session_is_lost_resumes_under_their_nickname(school_class):
    client = join(school_class, "Ada")
    answer(client, pupil_named(school_class, "Ada"))
    client.cookies.pop("sessionid")  # the session is gone; the browser's class cookie stays
    page = client.get(play_url(school_class))
    assert page.status_code == 200
    assert "You are Ada" in page.text and "Question 2 of 4" in page.text
    answer(client, pupil_named(school_class, "Ada"))
    assert Pupil.objects.count() == 1
    assert Response.objects.filter(pupil__nickname="Ada").count() == 2


def test_a_pupil_rejoins_after_a_backup_and_restore(school_class, tmp_path):
    client = join(school_class, "Ada")
    answer(client, pupil_named(school_class, "Ada"))
    path = tmp_path / "backup.json"
    call_command("backup", str(path), verbosity=0)
    # A restore onto a new server: the backup holds no sessions, so none are left.
    Session.objects.all().delete()
    call_command("restore", str(path), "--replace", verbosity=0)
    assert not Session.objects.exists()
    join_page = client.get(reverse("class_join", args=[school_class.code]))
    assert join_page.status_code == 302 and join_page.url == play_url(school_class)  # straight back in
    assert "You are Ada" in client.get(play_url(school_class)).text
    answer(client, pupil_named(school_class, "Ada"))
    assert list(Response.objects.values_list("pupil__nickname", flat=True)) == ["Ada", "Ada"]


def test_nobody_else_takes_over_a_nickname(school_class):
    first = join(school_class, "Ada")
    other = Client()
    response = other.post(reverse("class_join", args=[school_class.code]), {"nickname": "ada"})
    assert response.status_code == 409  # the nickname alone claims nothing, active or not
    # A cookie made up or copied from another class finds no pupil.
    other.cookies["pupil"] = first.cookies["pupil"].value.replace(":", "x:", 1)
    other.cookies["pupil"]["path"] = f"/join/{school_class.code}/"
    assert other.get(play_url(school_class)).url == reverse("class_join", args=[school_class.code])
    second_class = factories.make_class(comparison=school_class.comparison)
    stolen = Client()
    stolen.cookies["pupil"] = first.cookies["pupil"].value
    stolen.cookies["pupil"]["path"] = f"/join/{second_class.code}/"
    assert stolen.get(play_url(second_class)).status_code == 302
    assert Pupil.objects.count() == 1


def test_the_class_cookie_is_sent_only_to_its_class(school_class):
    client = join(school_class, "Ada")
    cookie = client.cookies["pupil"]
    assert cookie["path"] == f"/join/{school_class.code}/"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
