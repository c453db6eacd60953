from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext_lazy as _

from handlespor.calls.forms import CheckboxField
from handlespor.calls.models import Track
from handlespor.trackyear.models import DatePoll, Meeting, PollAnswer, PollOption, Rsvp, Venue


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
    label_suffix = ""

    class Meta:
        model = Meeting
        fields = ["title", "agenda", "format", "minutes", "online_link"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4})}


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
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none())

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
