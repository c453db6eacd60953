from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """The six digits of an authenticator app."""

    token = forms.RegexField(
        label=_("Kode fra din godkendelsesapp"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Skriv de seks cifre, appen viser lige nu.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "8"}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()
