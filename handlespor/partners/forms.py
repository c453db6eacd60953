from django import forms
from django.utils.translation import gettext_lazy as _


class PartnerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_(
            "CSV eller XLSX med en række pr. organisation. Kolonner: Organisation, Aktørtype, "
            "Postnummer, Region, Partner siden, Aktiv, Rapportering, Kontaktperson, E-mail, "
            "Titel. Har filen fejl, importeres intet."
        ),
    )
