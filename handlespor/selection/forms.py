from django import forms
from django.utils.translation import gettext_lazy as _

from handlespor.calls.models import Track

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
