from datetime import datetime
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext_lazy as _

from handlespor.calls.forms import CheckboxField
from handlespor.calls.models import Track
from handlespor.selection.models import Decision
from handlespor.trackyear.models import (
    Attendance,
    DatePoll,
    Meeting,
    PollAnswer,
    PollOption,
    Rsvp,
    Venue,
)


class SeatAnswerForm(forms.Form):
    """Yes or no to an offered seat."""

    answer = forms.ChoiceField(
        choices=[("confirm", _("Ja, jeg tager pladsen")), ("decline", _("Nej tak"))],
        error_messages={"invalid_choice": _("Vælg ja eller nej.")},
    )


class LeaveForm(forms.Form):
    label_suffix = ""
    confirm = CheckboxField(label=_("Ja, jeg forlader handlesporet, og min plads går videre."))


class ShareEmailForm(forms.Form):
    label_suffix = ""
    share_email = forms.BooleanField(
        label=_("Vis min e-mailadresse for de andre deltagere i handlesporet"), required=False
    )


class NewLinkForm(forms.Form):
    label_suffix = ""
    email = forms.EmailField(
        label=_("Din e-mailadresse"),
        error_messages={"invalid": _("Skriv en gyldig e-mailadresse.")},
    )


class MeetingForm(forms.ModelForm):
    """A meeting of the year; no more than the call's number of meetings a year."""

    label_suffix = ""

    class Meta:
        model = Meeting
        fields = ["title", "agenda", "format", "duration", "online_link"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, track: Track, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.track = track

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        planned = self.track.meetings.exclude(status=Meeting.Status.CANCELLED).count()
        allowed = self.track.call.meetings_per_year
        if planned >= allowed:
            raise forms.ValidationError(
                _("Året har allerede %(n)s møder, som er det antal, open call'et sætter.")
                % {"n": allowed}
            )
        return cleaned


class PurposeForm(forms.Form):
    label_suffix = ""
    year_purpose = forms.CharField(
        label=_("Formål for året"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown. Står på deltagernes side."),
        max_length=3000,
        required=False,
    )


LOCAL_FORMATS = ["%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M"]


def _local_time(text: str) -> datetime | None:
    for pattern in LOCAL_FORMATS:
        try:
            naive = datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
        return timezone.make_aware(naive)
    return None


class PollForm(forms.Form):
    """Candidate times for one meeting, one per line in Danish time, and when the poll closes."""

    label_suffix = ""
    meeting = forms.ModelChoiceField(
        label=_("Møde"),
        queryset=Meeting.objects.none(),
        error_messages={"invalid_choice": _("Vælg et af sporets møder.")},
    )
    options = forms.CharField(
        label=_("Mulige tidspunkter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Et pr. linje, dansk tid, fx 2027-03-29 17:00."),
    )
    closes_at = forms.CharField(
        label=_("Afstemningen lukker"), help_text=_("Dansk tid, fx 2027-03-15 12:00.")
    )

    def __init__(self, *args: Any, track: Track, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = track.meetings.filter(
            status__in=[Meeting.Status.PLANNED, Meeting.Status.POLLING]
        )

    def clean_options(self) -> list[datetime]:
        lines = [line for line in self.cleaned_data["options"].splitlines() if line.strip()]
        times, wrong = [], []
        for line in lines:
            parsed = _local_time(line)
            (times if parsed else wrong).append(parsed or line.strip())
        if wrong:
            raise forms.ValidationError(
                _("Kan ikke læse: %(lines)s. Skriv fx 2027-03-29 17:00.")
                % {"lines": ", ".join(wrong)}
            )
        if len(set(times)) < 2:
            raise forms.ValidationError(_("Giv mindst to forskellige tidspunkter."))
        if any(t <= timezone.now() for t in times):
            raise forms.ValidationError(_("Alle tidspunkter skal ligge i fremtiden."))
        return sorted(set(times))

    def clean_closes_at(self) -> datetime:
        parsed = _local_time(self.cleaned_data["closes_at"])
        if parsed is None:
            raise forms.ValidationError(_("Skriv fx 2027-03-15 12:00."))
        if parsed <= timezone.now():
            raise forms.ValidationError(_("Afstemningen skal lukke i fremtiden."))
        return parsed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        options, closes_at = cleaned.get("options"), cleaned.get("closes_at")
        if options and closes_at and closes_at >= options[0]:
            self.add_error("closes_at", _("Afstemningen skal lukke før det første tidspunkt."))
        return cleaned


class FinaliseForm(forms.Form):
    label_suffix = ""
    option = forms.ModelChoiceField(
        label=_("Tidspunkt"),
        queryset=PollOption.objects.none(),
        error_messages={"invalid_choice": _("Vælg et af afstemningens tidspunkter.")},
    )
    venue = forms.ModelChoiceField(
        label=_("Mødested"), queryset=Venue.objects.all(), required=False, empty_label=_("—")
    )

    def __init__(self, *args: Any, poll: DatePoll, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = poll.options.all()
        self.fields["option"].label_from_instance = lambda o: (
            f"{localize(timezone.localtime(o.starts_at))}"
        )


class CancelForm(forms.Form):
    label_suffix = ""
    meeting = forms.ModelChoiceField(
        label=_("Mødet, der aflyses"),
        queryset=Meeting.objects.none(),
        error_messages={"invalid_choice": _("Vælg et af sporets møder.")},
    )

    def __init__(self, *args: Any, track: Track, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = track.meetings.exclude(
            status__in=[Meeting.Status.CANCELLED, Meeting.Status.HELD]
        )


class PollAnswerForm(forms.Form):
    """Yes, if need be, or no to each candidate time of a poll."""

    def __init__(
        self, *args: Any, poll: DatePoll, initial_answers: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.poll = poll
        for option in poll.options.all():
            self.fields[f"option_{option.pk}"] = forms.ChoiceField(
                label=localize(timezone.localtime(option.starts_at)),
                choices=PollAnswer.Answer.choices,
                widget=forms.RadioSelect,
                initial=initial_answers.get(option.pk),
                error_messages={"required": _("Svar på hvert tidspunkt.")},
            )

    @property
    def answers(self) -> dict[int, str]:
        return {int(name.removeprefix("option_")): v for name, v in self.cleaned_data.items()}


class RsvpForm(forms.Form):
    label_suffix = ""
    answer = forms.ChoiceField(
        label=_("Kommer du?"), choices=Rsvp.Answer.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Evt. begrundelse"), max_length=300, required=False)


class TravelForm(forms.Form):
    label_suffix = ""
    venues = forms.ModelMultipleChoiceField(
        label=_("Mulige mødesteder"),
        queryset=Venue.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vælg mindst ét mødested.")},
    )


class TravelAcceptForm(forms.Form):
    """The venue of each meeting, as proposed or as the leader changes it."""

    label_suffix = ""

    def __init__(self, *args: Any, meetings: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = meetings
        for meeting in meetings:
            self.fields[f"venue_{meeting.pk}"] = forms.ModelChoiceField(
                label=meeting.title,
                queryset=Venue.objects.all(),
                error_messages={"invalid_choice": _("Vælg et af mødestederne.")},
            )

    @property
    def venue_of(self) -> dict[int, Venue]:
        return {m.pk: self.cleaned_data[f"venue_{m.pk}"] for m in self.meetings}


class AttendanceForm(forms.Form):
    """In person, online or absent, for each member, on one screen."""

    def __init__(
        self, *args: Any, members: list, initial_statuses: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.application.name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=initial_statuses.get(member.pk),
                error_messages={"required": _("Vælg for hver deltager.")},
            )

    @property
    def statuses(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"member_{m.pk}"] for m in self.members}


class RecordForm(forms.Form):
    label_suffix = ""
    record = forms.CharField(
        label=_("Referat"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown."),
        max_length=20000,
    )
    publish = forms.BooleanField(
        label=_("Offentliggør referatet for deltagerne og send det til dem"), required=False
    )


class DocumentForm(forms.Form):
    label_suffix = ""
    title = forms.CharField(label=_("Titel"), max_length=200)
    file = forms.FileField(
        label=_("Fil"),
        validators=[FileExtensionValidator(["pdf", "docx", "xlsx"])],
        help_text=_("PDF, DOCX eller XLSX, højst 10 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Filen er for stor (højst 10 MB)."))
        return upload


class ActionForm(forms.Form):
    label_suffix = ""
    what = forms.CharField(label=_("Hvad"), max_length=300)
    owners = forms.ModelMultipleChoiceField(
        label=_("Hvem"),
        queryset=Decision.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vælg mindst én deltager.")},
    )
    due = forms.DateField(
        label=_("Senest"),
        required=False,
        help_text=_("Fx 2027-05-01."),
        error_messages={"invalid": _("Skriv en dato, fx 2027-05-01.")},
    )

    def __init__(self, *args: Any, members, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = members
        self.fields["owners"].label_from_instance = lambda m: m.application.name


class RenewalForm(forms.Form):
    continues = forms.TypedChoiceField(
        choices=[("yes", _("Ja, jeg fortsætter")), ("no", _("Nej, jeg stopper efter i år"))],
        coerce=lambda value: value == "yes",
        error_messages={"invalid_choice": _("Vælg ja eller nej.")},
    )
