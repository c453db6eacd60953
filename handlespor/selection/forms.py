from django import forms
from django.utils.translation import gettext_lazy as _

from handlespor.calls.models import Application, Call, Target, Track
from handlespor.selection.models import SelectionLock

SCORES = [(n, str(n)) for n in range(1, 6)]


class ReviewForm(forms.Form):
    track = forms.ModelChoiceField(label=_("Handlespor"), queryset=Track.objects.none())
    score = forms.TypedChoiceField(
        label=_("Vurdering (1–5)"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, tracks: list[Track], **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["track"].queryset = Track.objects.filter(pk__in=[t.pk for t in tracks])


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor er du inhabil?"),
        max_length=300,
        help_text=_("Fx en nær relation til ansøgeren. Ansøgningen skjules så for dig."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)


class LockForm(forms.Form):
    application = forms.ModelChoiceField(
        queryset=Application.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Ansøgningen er ikke længere med (trukket tilbage eller slettet). Genindlæs siden."
            )
        },
    )
    kind = forms.ChoiceField(choices=SelectionLock.Kind.choices)
    track = forms.ModelChoiceField(queryset=Track.objects.none(), required=False)

    def __init__(self, *args, call: Call, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(
            call=call, state=Application.State.SUBMITTED
        )
        self.fields["track"].queryset = call.tracks.all()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") != SelectionLock.Kind.EXCLUDED and not cleaned.get("track"):
            self.add_error("track", _("Vælg et handlespor."))
        if cleaned.get("kind") == SelectionLock.Kind.EXCLUDED:
            cleaned["track"] = None
        return cleaned


class ProposalNameForm(forms.Form):
    name = forms.CharField(label=_("Navn på forslaget"), max_length=120)


class LotteryDrawForm(forms.Form):
    seed = forms.CharField(
        label=_("Frø"),
        max_length=100,
        strip=True,
        help_text=_(
            "Meddelt på forhånd eller trukket offentligt, fx fem terningkast. Nummeret er "
            "SHA-256 af frøet modulo antallet af rækker plus 1; alle kan gentage det."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Kommentar"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label=_("Forslag A"), queryset=None)
    b = forms.ModelChoiceField(label=_("Forslag B"), queryset=None)

    def __init__(self, *args, call: Call, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from handlespor.selection.models import Proposal

        done = Proposal.objects.filter(call=call, status=Proposal.Status.DONE)
        self.fields["a"].queryset = done
        self.fields["b"].queryset = done


class TargetForm(forms.ModelForm):
    values = forms.CharField(
        label=_("Værdier"),
        required=False,
        help_text=_("Adskilt af komma; tom: alle værdier."),
    )

    class Meta:
        model = Target
        fields = Target.EDITABLE_FIELDS

    def __init__(self, *args, call: Call, **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        self.instance.call = call  # the model's checks need the call's value lists
        self.fields["track"].queryset = call.tracks.all()
        if self.instance.pk:
            self.initial["values"] = ", ".join(self.instance.values)

    def clean_values(self) -> list[str]:
        return [v.strip() for v in self.cleaned_data["values"].split(",") if v.strip()]


TargetFormSet = forms.modelformset_factory(
    Target,
    form=TargetForm,
    extra=1,
    can_delete=True,
)
