from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from handlespor.attributes import GENDERS
from handlespor.reporting.models import Question

REQUIRED_TO_SUBMIT = _("Skal udfyldes, før rapporteringen kan indsendes.")


def _part_name(question: Question, index: int) -> str:
    return f"{question.key}__{index}"


class ReportForm(forms.Form):
    """A round's questionnaire. A draft keeps what is filled in (numbers are still checked);
    submitting and correcting also ask every required question."""

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        language: str,
        submit: bool = False,
        values: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.submit = submit
        self.language = language
        values = values or {}
        for question in questions:
            self._add(question, language, values.get(question.key))

    def _add(self, question: Question, language: str, value: Any) -> None:
        kind = question.kind
        common = {
            "label": question.text_in(language) + (" *" if question.required else ""),
            "help_text": question.help_in(language),
            "required": False,
        }
        key = question.key
        if kind == Question.Kind.GENDER_SPLIT:
            # The question and its help text are the legend of the split's fieldset.
            value = value or {}
            self.fields[key] = forms.IntegerField(
                min_value=0, required=False, label=gettext("I alt"), initial=value.get("total")
            )
            for index, gender in enumerate(GENDERS):
                self.fields[_part_name(question, index)] = forms.IntegerField(
                    min_value=0, required=False, label=gettext(gender), initial=value.get(gender)
                )
            return
        if kind == Question.Kind.INTEGER:
            field = forms.IntegerField(min_value=0, **common)
        elif kind == Question.Kind.PERCENT:
            field = forms.DecimalField(
                min_value=0, max_value=100, max_digits=5, decimal_places=1, **common
            )
        elif kind == Question.Kind.YES_NO:
            field = forms.TypedChoiceField(
                choices=[("ja", gettext("Ja")), ("nej", gettext("Nej"))],
                widget=forms.RadioSelect,
                coerce=lambda text: text == "ja",
                empty_value=None,
                **common,
            )
            value = None if value is None else ("ja" if value else "nej")
        elif kind == Question.Kind.CHOICE:
            field = forms.ChoiceField(
                choices=question.options_in(language), widget=forms.RadioSelect, **common
            )
        elif kind == Question.Kind.CHOICES:
            field = forms.MultipleChoiceField(
                choices=question.options_in(language),
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        elif kind == Question.Kind.SHORT_TEXT:
            field = forms.CharField(max_length=300, **common)
        else:
            field = forms.CharField(
                max_length=5000, widget=forms.Textarea(attrs={"rows": 5}), **common
            )
        field.initial = value
        self.fields[key] = field

    def groups(self) -> list[dict[str, Any]]:
        """The questionnaire as the page shows it: sections, each with its questions, a gender
        split with its bound fields."""
        sections: list[dict[str, Any]] = []
        for question in self.questions:
            if not sections or sections[-1]["section"].pk != question.section_id:
                sections.append({"section": question.section, "items": []})
            item: dict[str, Any] = {"question": question, "field": self[question.key]}
            if question.kind == Question.Kind.GENDER_SPLIT:
                item["parts"] = [self[_part_name(question, index)] for index in range(len(GENDERS))]
            sections[-1]["items"].append(item)
        return sections

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, question, error) of each error, in the questionnaire's order: a gender
        split's errors under its question's text."""
        items = []
        for question in self.questions:
            names = [question.key]
            if question.kind == Question.Kind.GENDER_SPLIT:
                names += [_part_name(question, index) for index in range(len(GENDERS))]
            for name in names:
                for error in self.errors.get(name, ()):
                    items.append((self[name].auto_id, question.text_in(self.language), error))
        return items

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for question in self.questions:
            key = question.key
            if question.kind == Question.Kind.GENDER_SPLIT:
                total = data.get(key)
                parts = [data.get(_part_name(question, i)) for i in range(len(GENDERS))]
                given = [part for part in parts if part is not None]
                if total is None and given and key not in self.errors:
                    self.add_error(key, gettext("Skriv det samlede antal."))
                elif total is not None and given and sum(given) != total:
                    self.add_error(
                        key,
                        gettext("Delene giver %(sum)s, men i alt er %(total)s.")
                        % {"sum": sum(given), "total": total},
                    )
                elif total is not None and not given and total > 0:
                    self.add_error(key, gettext("Fordel antallet på køn."))
            missing = self.submit and question.required and self._empty(data.get(key))
            if missing and key not in self.errors:
                self.add_error(key, REQUIRED_TO_SUBMIT)
        return data

    @staticmethod
    def _empty(value: Any) -> bool:
        return value is None or value == "" or value == []

    def values(self) -> dict[str, Any]:
        """The answers as stored: only the questions answered."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for question in self.questions:
            key = question.key
            value = data.get(key)
            if question.kind == Question.Kind.GENDER_SPLIT:
                if value is None:
                    continue
                value = {
                    "total": value,
                    **{g: data.get(_part_name(question, i)) or 0 for i, g in enumerate(GENDERS)},
                }
            elif isinstance(value, Decimal):
                value = int(value) if value == value.to_integral() else float(value)
            elif isinstance(value, str):
                value = value.strip()
            if not self._empty(value):
                values[key] = value
        return values


class NewLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Din e-mailadresse"),
        help_text=_("Den adresse, partnerregistret har for dig som kontaktperson."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (XLSX eller CSV)"),
        help_text=_(
            "Én række pr. organisation: kolonnen “organisation” og en kolonne pr. spørgsmål, "
            "navngivet med spørgsmålets nøgle."
        ),
    )
