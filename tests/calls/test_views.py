import json
import re
import threading

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from handlespor.calls.models import Application, ApplicationEvent
from handlespor.mail.models import OutboxMessage
from handlespor.partners.models import Person
from tests.factories import ApplicationFactory, CallFactory, TrackFactory

# Transactional: the receipt e-mail goes out only after the application is committed.
pytestmark = pytest.mark.django_db(transaction=True)


def _apply(client, call, data):
    return client.post(reverse("calls:apply", args=[call.year]), data)


def _link_from_last_mail() -> str:
    match = re.search(r"https?://[^/\s]+(/ansoegning/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _nothing_stored() -> bool:
    return (
        Application.objects.count() == 0
        and Person.objects.count() == 0
        and OutboxMessage.objects.count() == 0
    )


def test_call_current_redirects_to_the_open_call(client, call):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("calls:call", args=[call.year])


def test_call_detail_shows_tracks_deadline_and_apply_button(
    client, call, django_assert_num_queries
):
    with django_assert_num_queries(2):
        response = client.get(reverse("calls:call", args=[call.year]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="track"') == 4
    assert "Grønnere musik" in html
    assert "8–12 deltagere" in html
    assert 'href="/open-call/2027/ansoeg/"' in html
    assert "Frist:" in html


def test_application_form_renders_every_field_in_danish(client, call):
    response = client.get(reverse("calls:apply", args=[call.year]))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="da">' in html
    assert "Skriv ikke om dit eget eller andres helbred" in html
    for name in ("name", "email", "motivation", "contribution", "postcode", "consent"):
        assert f'name="{name}"' in html


def test_apply_stores_and_sends_receipt_with_private_link(client, call, form_data):
    response = _apply(client, call, form_data)

    assert response.status_code == 302
    assert response["Location"] == reverse("calls:received", args=[call.year])
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert "Tak for din ansøgning" in receipt.content.decode()
    assert "Vi vil gerne styrke trivslen." in receipt.content.decode()
    application = Application.objects.get()
    assert len(mail.outbox) == 1
    assert client.get(_link_from_last_mail()).context["application"] == application


def test_apply_with_someone_elses_email_reveals_nothing_and_keeps_their_link(
    client, call, form_data
):
    _apply(client, call, form_data)
    owners_link = _link_from_last_mail()
    owners_receipt = client.get(reverse("calls:received", args=[call.year])).content.decode()

    stranger = Client()
    response = _apply(
        stranger,
        call,
        {
            **form_data,
            "name": "Ukendt Person",
            "email": "anne.JENSEN@example.org",
            "motivation": "X",
        },
    )

    page = stranger.get(response["Location"]).content.decode()
    assert Application.objects.count() == 1
    assert "Der findes allerede" not in page
    assert "Du har allerede søgt" not in page
    assert "Vi vil gerne styrke trivslen." not in page
    assert "Ukendt Person" in page
    assert _headline(page) == _headline(owners_receipt)
    assert client.get(owners_link).status_code == 200
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["anne.jensen@example.org"]
    assert client.get(_link_from_last_mail()).status_code == 200


def _headline(page: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", page).group(1)


def test_apply_double_click_gives_one_application_one_receipt_and_a_working_link(
    client, call, form_data
):
    form = client.get(reverse("calls:apply", args=[call.year]))
    key = form.context["form"].initial["submission"]
    data = {**form_data, "submission": key}

    first = _apply(client, call, data)
    second = _apply(client, call, data)

    assert first.status_code == second.status_code == 302
    page = client.get(second["Location"]).content.decode()
    assert _headline(page) == "Tak for din ansøgning"
    assert Application.objects.count() == 1
    assert len(mail.outbox) == 1
    assert client.get(_link_from_last_mail()).status_code == 200


def test_apply_five_parallel_posts_of_one_form_give_one_application_and_one_receipt(
    call, form_data
):
    data = {**form_data, "submission": "b" * 32}
    statuses = []

    def post() -> None:
        statuses.append(_apply(Client(), call, data).status_code)

    threads = [threading.Thread(target=post) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * 5
    assert Application.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    assert Client().get(_link_from_last_mail()).status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "\u200b\u200b\u200b"),
        ("name", "\u200d\ufeff \u2060"),
        ("motivation", "\u200b\u200c\u200d"),
        ("contribution", "\u202e\u2066\u3164"),
    ],
)
def test_apply_with_only_invisible_characters_is_refused(client, call, form_data, field, value):
    response = _apply(client, call, {**form_data, field: value})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _nothing_stored()


def test_apply_removes_bidi_controls_from_names(client, call, form_data):
    _apply(
        client,
        call,
        {**form_data, "name": "Anne \u202eJensen\u202c\u200f", "job_title": "\u2067Leder"},
    )

    application = Application.objects.get()
    assert application.name == "Anne Jensen"
    assert application.job_title == "Leder"


def test_apply_with_the_hidden_field_filled_in_stores_and_sends_nothing(client, call, form_data):
    response = _apply(client, call, {**form_data, "website": "http://spam.example"})

    assert response.status_code == 302
    assert "Tak for din ansøgning" in client.get(response["Location"]).content.decode()
    assert _nothing_stored()


@pytest.fixture
def rate_limits():
    """The per-address limits on, counting from zero."""
    caches["ratelimit"].clear()
    with override_settings(RATELIMIT_ENABLE=True):
        yield


@override_settings(RATELIMIT_SUBMIT="3/10m")
def test_apply_more_often_than_the_limit_from_one_address_is_refused(
    client, call, form_data, rate_limits
):
    for number in range(3):
        _apply(client, call, {**form_data, "email": f"person{number}@example.org"})

    response = _apply(client, call, {**form_data, "email": "person9@example.org"})

    assert response.status_code == 429
    assert "For mange forsøg" in response.content.decode()
    assert Application.objects.count() == 3
    assert client.get(reverse("calls:apply", args=[call.year])).status_code == 200


@override_settings(RATELIMIT_PRIVATE_LINK="5/10m")
def test_private_link_pages_are_limited_per_address(client, call, rate_limits):
    for _ in range(5):
        assert client.get(reverse("calls:application", args=["guess" * 8])).status_code == 404

    assert client.get(reverse("calls:application", args=["guess" * 8])).status_code == 429


def test_applicant_reloading_the_receipt_and_link_is_not_limited(
    client, call, form_data, rate_limits
):
    _apply(client, call, form_data)
    link = _link_from_last_mail()

    statuses = {
        client.get(reverse("calls:received", args=[call.year])).status_code for _ in range(20)
    }
    statuses |= {client.get(link).status_code for _ in range(20)}

    assert statuses == {200}


def test_export_of_an_incomplete_email_application_works(client, call):
    application = ApplicationFactory(
        call=call,
        first_choice=call.tracks.first(),
        state=Application.State.INCOMPLETE,
        channel=Application.Channel.EMAIL,
        consent_at=None,
    )
    token = application.new_token()
    application.save()

    response = client.get(reverse("calls:export", args=[token]))

    assert response.status_code == 200
    assert json.loads(response.content)["application"]["consent_at"] is None


def test_receipt_without_a_submission_redirects_to_the_call(client, call):
    response = client.get(reverse("calls:received", args=[call.year]))

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "Dette felt er påkrævet."),
        ({"email": "ikke-en-mail"}, "email", "Indtast en gyldig e-mail-adresse."),
        ({"motivation": "x" * 3001}, "motivation", "Denne værdi må højst have 3000 tegn"),
        ({"name": "x" * 201}, "name", "Denne værdi må højst have 200 tegn"),
        ({"first_choice": "999999"}, "first_choice", "Vælg et af handlesporene på listen."),
        ({"confirms_mandate": ""}, "confirms_mandate", "Dette felt er påkrævet."),
        ({"consent": ""}, "consent", "Dette felt er påkrævet."),
        ({"music_fields": []}, "music_fields", "Dette felt er påkrævet."),
        ({"actor_type": "Hacker"}, "actor_type", "Vælg en af mulighederne på listen."),
        ({"postcode": "80a0"}, "postcode", "Skriv et dansk postnummer med fire cifre."),
        ({"postcode": "", "region": ""}, "region", "Angiv et postnummer eller vælg en region."),
        (
            {"organisation": "", "organisation_name": ""},
            "organisation",
            "Vælg din organisation på listen, eller skriv navnet i feltet nedenfor.",
        ),
    ],
)
def test_apply_with_bad_input_shows_the_error_and_stores_nothing(
    client, call, form_data, change, field, message
):
    response = _apply(client, call, {**form_data, **change})

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert "Ansøgningen er ikke sendt" in response.content.decode()
    assert _nothing_stored()


def test_apply_with_the_same_track_twice_is_refused(client, call, form_data):
    response = _apply(client, call, {**form_data, "second_choice": form_data["first_choice"]})

    assert response.context["form"].errors["second_choice"] == [
        "Vælg et andet handlespor end din 1. prioritet, eller ingen."
    ]
    assert _nothing_stored()


def test_apply_with_a_track_of_another_call_is_refused(client, call, form_data):
    other = TrackFactory(call=CallFactory(year=2030))

    response = _apply(client, call, {**form_data, "first_choice": str(other.pk)})

    assert "first_choice" in response.context["form"].errors
    assert _nothing_stored()


def test_apply_with_an_empty_form_lists_errors_and_stores_nothing(client, call):
    response = _apply(client, call, {})

    assert response.status_code == 200
    assert len(response.context["form"].errors) >= 10
    assert _nothing_stored()


def test_apply_escapes_html_in_text_fields(client, call, form_data):
    script = "<script>alert('x')</script>"
    _apply(client, call, {**form_data, "motivation": script, "name": f"Anne {script}"})

    receipt = client.get(reverse("calls:received", args=[call.year])).content.decode()
    detail = client.get(_link_from_last_mail()).content.decode()

    assert script not in receipt
    assert script not in detail
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in receipt
    assert Application.objects.get().motivation == script


def test_apply_without_csrf_token_is_forbidden(call, form_data):
    client = Client(enforce_csrf_checks=True)

    response = _apply(client, call, form_data)

    assert response.status_code == 403
    assert _nothing_stored()


def test_apply_after_deadline_refuses_and_stores_nothing(client, call, form_data):
    call.deadline = call.opens_at
    call.save()

    get = client.get(reverse("calls:apply", args=[call.year]))
    post = _apply(client, call, form_data)

    assert get.status_code == 200
    assert "Fristen er overskredet" in get.content.decode()
    assert post.status_code == 403
    assert "intet er gemt" in post.content.decode()
    assert _nothing_stored()


def test_apply_with_unregistered_organisation_marks_needs_check(client, call, form_data):
    _apply(client, call, {**form_data, "organisation": "", "organisation_name": "Ny Forening"})

    application = Application.objects.get()
    assert application.organisation is None
    assert application.eligibility == Application.Eligibility.NEEDS_CHECK
    assert application.eligibility_reasons == [
        "Organisationen “Ny Forening” er ikke i partnerregistret."
    ]


def test_private_link_with_tampered_or_foreign_token_is_404(client, call, form_data):
    _apply(client, call, form_data)
    token = _link_from_last_mail().split("/")[2]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    ApplicationFactory(call=call, first_choice=call.tracks.first())

    assert client.get(f"/ansoegning/{token}/").status_code == 200
    assert client.get(f"/ansoegning/{tampered}/").status_code == 404
    assert client.get("/ansoegning/never-issued-token/").status_code == 404
    assert client.get("/ansoegning/abc%3Cscript%3E/").status_code == 404
    assert client.get(f"/ansoegning/{tampered}/ret/").status_code == 404
    assert client.post(f"/ansoegning/{tampered}/traek-tilbage/").status_code == 404
    assert client.get(f"/ansoegning/{tampered}/data.json").status_code == 404


def test_private_link_pages_are_not_cached_or_referred(client, call, form_data):
    _apply(client, call, form_data)

    response = client.get(_link_from_last_mail())

    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert ApplicationEvent.objects.filter(kind="viewed").count() == 1


def test_edit_through_the_private_link(client, call, form_data):
    _apply(client, call, form_data)
    link = _link_from_last_mail()
    edited = {k: v for k, v in form_data.items() if k not in {"email", "consent"}}

    response = client.post(link + "ret/", {**edited, "motivation": "Rettet motivation"})

    assert response.status_code == 302
    assert Application.objects.get().motivation == "Rettet motivation"


def test_edit_after_deadline_is_refused_and_changes_nothing(client, call, form_data):
    _apply(client, call, form_data)
    link = _link_from_last_mail()
    call.deadline = call.opens_at
    call.save()

    response = client.post(link + "ret/", {**form_data, "motivation": "For sent"})

    assert response.status_code == 403
    assert Application.objects.get().motivation == "Vi vil gerne styrke trivslen."


def test_withdraw_through_the_private_link(client, call, form_data):
    _apply(client, call, form_data)
    link = _link_from_last_mail()

    unconfirmed = client.post(link + "traek-tilbage/", {})
    confirmed = client.post(link + "traek-tilbage/", {"confirm": "on"})

    assert unconfirmed.status_code == 200
    assert confirmed.status_code == 302
    assert Application.objects.get().state == Application.State.WITHDRAWN
    assert "trukket tilbage" in mail.outbox[-1].subject


def test_export_returns_the_applicants_data_as_json(client, call, form_data):
    _apply(client, call, form_data)

    response = client.get(_link_from_last_mail() + "data.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["application"]["motivation"] == "Vi vil gerne styrke trivslen."


def test_region_hint_names_the_region_of_a_postcode(client):
    response = client.get(reverse("calls:region_hint"), {"postcode": "9000"})

    assert response.content.decode() == "Region: Nordjylland"


def test_english_is_shown_after_choosing_it(client, call):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("calls:call", args=[call.year]))

    assert '<html lang="en">' in response.content.decode()


def test_browser_language_does_not_override_danish(client, call):
    response = client.get(reverse("calls:call", args=[call.year]), HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="da">' in response.content.decode()


def test_english_form_and_receipt_e_mail(client, call, form_data):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    form = client.get(reverse("calls:apply", args=[call.year])).content.decode()
    _apply(client, call, form_data)

    assert "Apply to take part in a track" in form
    assert "Do not write about your own or anyone else's health" in form
    assert Application.objects.get().language == "en"
    assert mail.outbox[0].subject == "Receipt: your application to Open call: handlespor 2027"
    assert mail.outbox[0].body.startswith("Dear Anne Jensen")


def test_application_form_fields_are_rendered_once_and_the_key_stays_per_visitor(client, call):
    first = client.get(reverse("calls:apply", args=[call.year]))
    second = Client().get(reverse("calls:apply", args=[call.year]))

    keys = [
        re.search(r'name="submission" value="([0-9a-f]{32})"', r.content.decode()).group(1)
        for r in (first, second)
    ]
    assert keys[0] != keys[1]
    assert first.content.decode().count('name="motivation"') == 1
    assert second.context["fields_html"] == first.context["fields_html"]


def test_edit_clears_the_second_priority_again(client, call, form_data):
    second = call.tracks.get(slug="groennere-musik")
    _apply(client, call, {**form_data, "second_choice": str(second.pk)})
    link = _link_from_last_mail()
    edited = {k: v for k, v in form_data.items() if k not in {"email", "consent"}}

    response = client.post(link + "ret/", {**edited, "second_choice": ""})

    assert response.status_code == 302
    assert Application.objects.get().second_choice is None


def test_apply_without_a_second_priority(client, call, form_data):
    response = _apply(client, call, {**form_data, "second_choice": ""})

    assert response.status_code == 302
    assert Application.objects.get().second_choice is None


def test_form_and_edit_page_offer_no_second_priority_as_a_choice(client, call, form_data):
    blank = client.get(reverse("calls:apply", args=[call.year]))
    second = call.tracks.get(slug="groennere-musik")
    _apply(client, call, {**form_data, "second_choice": str(second.pk)})

    edit = client.get(_link_from_last_mail() + "ret/")

    for page in (blank, edit):
        html = page.content.decode()
        assert re.search(r'<input type="radio" name="second_choice" value=""[^>]*>', html)
        assert "Ingen 2. prioritet" in html


def test_apply_error_summary_links_each_error_to_its_field(client, call, form_data):
    data = {k: v for k, v in form_data.items() if k not in {"motivation", "first_choice"}}

    response = _apply(client, call, data)

    html = response.content.decode()
    summary = html[
        html.index('id="form-errors"') : html.index("</div>", html.index('id="form-errors"'))
    ]
    links = re.findall(r'<a href="#(id_\w+)">([^<]+)</a>', summary)
    assert [target for target, _text in links] == ["id_first_choice", "id_motivation"]
    assert all(f'id="{target}"' in html for target, _text in links)
    assert links[1][1].startswith("Motivation: ")


def test_english_pages_show_attribute_values_in_english_and_store_them_in_danish(
    client, call, form_data
):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    form = client.get(reverse("calls:apply", args=[call.year])).content.decode()
    _apply(client, call, {**form_data, "gender": "Kvinde"})
    page = client.get(_link_from_last_mail()).content.decode()

    assert re.search(r'value="Kvinde"[^>]*>\s*Woman', form)
    assert re.search(r'value="Hovedstaden"[^>]*>\s*Capital Region', form)
    assert ">Kvinde<" not in form
    assert "<dd>Woman</dd>" in page
    assert Application.objects.get().gender == "Kvinde"


def test_deadline_reads_kl_in_danish_and_not_in_english(client, call):
    danish = client.get(reverse("calls:apply", args=[call.year])).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    english = client.get(reverse("calls:apply", args=[call.year])).content.decode()

    assert " kl. " in danish
    assert " kl. " not in english
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}", english)
