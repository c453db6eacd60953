import uuid
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from handlespor.attributes import region_for_postcode
from handlespor.calls.models import APPLICATION_TEXT_LIMIT, Call
from handlespor.partners.models import Organisation
from handlespor.text import clean_line, clean_text, has_visible

TEXT_LIMIT = APPLICATION_TEXT_LIMIT
postcode_validator = RegexValidator(r"^\d{4}$", _("Skriv et dansk postnummer med fire cifre."))


class LineField(forms.CharField):
    """One line people type (a name, a title): invisible and direction-changing characters are
    removed, and what is left must show something."""

    def to_python(self, value: Any) -> str:
        text = clean_line(super().to_python(value))
        return text if has_visible(text) else ""


class TextField(forms.CharField):
    """A longer text: bidi controls removed, and it must hold something visible."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = clean_text(super().to_python(value))
        return text if has_visible(text) else ""


class CheckboxField(forms.BooleanField):
    """A required tick box, drawn box first and label after, as people expect."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(template_name="forms/checkbox_field.html", **kwargs)


def _choices(values: list[str]) -> list[tuple[str, str]]:
    """Each value stored as it is (Danish), shown in the page's language."""
    return [(value, _(value)) for value in values]


TRACK_ERRORS = {"invalid_choice": _("Vælg et af handlesporene på listen.")}
CHOICE_ERRORS = {"invalid_choice": _("Vælg en af mulighederne på listen.")}


class ApplicationForm(forms.Form):
    """The applicant's form; `editing` leaves out e-mail and consent, given once at submission."""

    name = LineField(label=_("Dit navn"), max_length=200)
    email = forms.EmailField(
        label=_("Din e-mail"),
        max_length=254,
        help_text=_("Vi sender kvitteringen og dit private link hertil."),
    )
    job_title = LineField(label=_("Din titel"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Din organisation"),
        queryset=Organisation.objects.order_by("name"),
        error_messages={"invalid_choice": _("Vælg en organisation på listen.")},
        required=False,
        empty_label=_("— Vælg fra partnerregistret —"),
        help_text=_("Partnerkredsens organisationer, virksomheder og institutioner."),
    )
    organisation_name = LineField(
        label=_("Organisation, hvis den ikke er på listen"),
        max_length=200,
        required=False,
        help_text=_("Sekretariatet tjekker så, om organisationen er partner."),
    )
    first_choice = forms.ModelChoiceField(
        label=_("Handlespor, 1. prioritet"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=TRACK_ERRORS,
    )
    second_choice = forms.ModelChoiceField(
        label=_("Handlespor, 2. prioritet (valgfrit)"),
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        blank=True,  # a radio button for "none", so a second choice can be cleared again
        empty_label=_("Ingen 2. prioritet"),
        error_messages=TRACK_ERRORS,
    )
    motivation = TextField(
        label=_("Motivation"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Kort: hvorfor vil du gerne deltage i handlesporet? Skriv ikke om dit eget eller "
            "andres helbred eller andre følsomme personoplysninger. Højst 3000 tegn."
        ),
    )
    contribution = TextField(
        label=_("Hvad kan du bidrage med?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Viden, erfaring, netværk eller ressourcer. Højst 3000 tegn."),
    )
    actor_type = forms.ChoiceField(label=_("Aktørtype"), error_messages=CHOICE_ERRORS)
    role = forms.ChoiceField(
        label=_("Din rolle i organisationen"),
        widget=forms.RadioSelect,
        error_messages=CHOICE_ERRORS,
    )
    music_fields = forms.MultipleChoiceField(
        label=_("Musikfelt"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vælg et eller flere."),
        error_messages=CHOICE_ERRORS,
    )
    postcode = forms.CharField(
        label=_("Postnummer"),
        max_length=4,
        required=False,
        validators=[postcode_validator],
        help_text=_("Organisationens eller dit postnummer; vi udleder regionen af det."),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "postal-code",
                "hx-get": reverse_lazy("calls:region_hint"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#postcode-region",
            }
        ),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        help_text=_("Udfyld, hvis du ikke angiver postnummer, eller hvis I er landsdækkende."),
        error_messages=CHOICE_ERRORS,
    )
    gender = forms.ChoiceField(
        label=_("Køn (valgfrit)"),
        required=False,
        widget=forms.RadioSelect,
        error_messages=CHOICE_ERRORS,
    )
    seniority = forms.ChoiceField(
        label=_("Antal år i musiklivet"), widget=forms.RadioSelect, error_messages=CHOICE_ERRORS
    )
    confirms_attendance = CheckboxField(label=_("Jeg kan deltage fysisk i 3–4 møder om året."))
    confirms_own_costs = CheckboxField(
        label=_("Jeg eller min organisation dækker mine udgifter ved deltagelsen.")
    )
    confirms_reporting = CheckboxField(
        label=_(
            "Min organisation bidrager til partnerskabets årlige rapportering på lige adgang "
            "og trivsel."
        )
    )
    confirms_mandate = CheckboxField(
        label=_("Jeg har beslutningsmandat til at deltage aktivt på vegne af min organisation.")
    )
    consent = CheckboxField(
        label=_(
            "Jeg giver samtykke til, at sekretariatet, styregruppen og handlesporslederne "
            "behandler oplysningerne i min ansøgning for at sammensætte handlesporene."
        )
    )
    # The form's one-time key: the same form posted twice (a double click, a reload) is one
    # application with one receipt.
    submission = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False, widget=forms.HiddenInput)
    # A field people never see (hidden by the style sheet, skipped by screen readers and the
    # keyboard); bots that fill in every field fill it in.
    website = forms.CharField(
        label=_("Lad dette felt stå tomt"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(
        self,
        *args: Any,
        call: Call,
        editing: bool = False,
        completing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4().hex)
        tracks = call.tracks.order_by("position", "name")
        self.fields["first_choice"].queryset = tracks
        self.fields["second_choice"].queryset = tracks
        self.fields["actor_type"].choices = [
            ("", _("— Vælg —")),
            *_choices(call.options("actor_type")),
        ]
        self.fields["role"].choices = _choices(call.options("role"))
        self.fields["music_fields"].choices = _choices(call.options("music_fields"))
        self.fields["region"].choices = [
            ("", _("— Udled af postnummer —")),
            *_choices(call.options("region")),
        ]
        self.fields["gender"].choices = _choices(call.options("gender"))
        self.fields["seniority"].choices = _choices(call.options("seniority"))
        if editing or completing:
            del self.fields["email"]
            del self.fields["submission"]
            del self.fields["website"]
        if editing:
            del self.fields["consent"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("first_choice"), cleaned.get("second_choice")
        if first and second and first == second:
            self.add_error(
                "second_choice", _("Vælg et andet handlespor end din 1. prioritet, eller ingen.")
            )
        if not cleaned.get("organisation") and not cleaned.get("organisation_name"):
            self.add_error(
                "organisation",
                _("Vælg din organisation på listen, eller skriv navnet i feltet nedenfor."),
            )
        if cleaned.get("organisation"):
            cleaned["organisation_name"] = ""
        postcode = cleaned.get("postcode", "")
        if not cleaned.get("region") and "postcode" not in self.errors:
            derived = region_for_postcode(postcode) if postcode else None
            if derived is None:
                self.add_error("region", _("Angiv et postnummer eller vælg en region."))
            else:
                cleaned["region"] = derived
        return cleaned


class WithdrawForm(forms.Form):
    label_suffix = ""
    confirm = CheckboxField(label=_("Ja, træk min ansøgning tilbage."))
