"""The inbox's forms: an upload of e-mails and the staff's corrections of what was recognised."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from handlespor.calls.forms import TRACK_ERRORS
from handlespor.calls.models import Application, Call, Track
from handlespor.partners.models import Organisation


class InboundUploadForm(forms.Form):
    file = forms.FileField(
        label=_("E-mails som fil"),
        help_text=_("En enkelt e-mail (.eml) eller en hel postkasse (.mbox)."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".eml", ".mbox")):
            raise forms.ValidationError(_("Vælg en .eml- eller .mbox-fil."))
        if upload.size > settings.INBOUND_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Filen er for stor (højst %(mb)s MB).")
                % {"mb": settings.INBOUND_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class IntakeTracksForm(forms.Form):
    """The tracks and organisation of an e-mail application, as staff set them."""

    label_suffix = ""
    first_choice = forms.ModelChoiceField(
        label=_("1. prioritet"), queryset=Track.objects.none(), error_messages=TRACK_ERRORS
    )
    second_choice = forms.ModelChoiceField(
        label=_("2. prioritet"),
        queryset=Track.objects.none(),
        required=False,
        empty_label=_("Ingen"),
        error_messages=TRACK_ERRORS,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation i partnerregistret"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("— Ikke i registret —"),
        error_messages={"invalid_choice": _("Vælg en organisation på listen.")},
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tracks = call.tracks.order_by("position", "name")
        self.fields["first_choice"].queryset = tracks
        self.fields["second_choice"].queryset = tracks

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("first_choice"), cleaned.get("second_choice")
        if first and second and first == second:
            self.add_error("second_choice", _("Vælg et andet handlespor end 1. prioritet."))
        return cleaned

    @property
    def tracks(self) -> list[Track]:
        return [
            t
            for t in (self.cleaned_data["first_choice"], self.cleaned_data.get("second_choice"))
            if t
        ]


class MakeApplicationForm(IntakeTracksForm):
    send_reply = forms.BooleanField(
        label=_("Send svar med link til at udfylde ansøgningen"), required=False, initial=True
    )


class ApplicationChoiceField(forms.ModelChoiceField):
    """An application, shown as name and address, which tell namesakes apart."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Application.objects.none(),
            error_messages={"invalid_choice": _("Vælg en ansøgning på listen.")},
            **kwargs,
        )

    def label_from_instance(self, application: Application) -> str:
        return f"{application.name} <{application.email}>"


class MergeForm(forms.Form):
    label_suffix = ""
    target = ApplicationChoiceField(label=_("Webansøgning fra samme person"))

    def __init__(self, *args: Any, source: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Application.objects.filter(call=source.call)
            .exclude(pk=source.pk)
            .exclude(state=Application.State.INCOMPLETE)
            .order_by("name")
        )


class AttachForm(forms.Form):
    label_suffix = ""
    application = ApplicationChoiceField(label=_("Ansøgning"))

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(call=call).order_by("name")
