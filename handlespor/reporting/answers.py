"""A report's answers as stored (a dict from question key to value) and as the cells of a
spreadsheet: the one place that knows each question type's value, shared by the form, the
exports and the import. Pure Python apart from the Question model's attributes.

Values: a whole number (int), a percentage (int or float, 0–100), a gender split (a dict with
"total" and a count per gender of `attributes.GENDERS`), yes/no (bool), one choice (str), several
choices (list of str), text (str). An unanswered question has no key.
"""

from typing import Any

from handlespor.attributes import GENDERS
from handlespor.reporting.models import Question

TOTAL = "i alt"
YES = {"ja", "j", "yes", "y", "1", "sand", "true"}
NO = {"nej", "n", "no", "0", "falsk", "false"}
CHOICE_SEPARATOR = ";"


def columns(question: Question) -> list[str]:
    """The spreadsheet columns of a question: its key, and for a gender split also one per
    gender (`key.Kvinde`, …)."""
    if question.kind == Question.Kind.GENDER_SPLIT:
        return [question.key, *(f"{question.key}.{gender}" for gender in GENDERS)]
    return [question.key]


def cells(question: Question, value: Any) -> list[str]:
    """The value as the text of its columns."""
    if value is None:
        return [""] * len(columns(question))
    kind = question.kind
    if kind == Question.Kind.GENDER_SPLIT:
        return [str(value.get("total", "")), *(str(value.get(g, "")) for g in GENDERS)]
    if kind == Question.Kind.YES_NO:
        return ["ja" if value else "nej"]
    if kind == Question.Kind.CHOICES:
        return [f"{CHOICE_SEPARATOR} ".join(value)]
    return [str(value)]


def _number(text: str, *, low: float, high: float | None, whole: bool) -> int | float:
    try:
        number = float(text.replace(",", ".").replace("%", "").strip())
    except ValueError:
        raise ValueError("skal være et tal") from None
    if whole and not number.is_integer():
        raise ValueError("skal være et helt tal")
    if number < low or (high is not None and number > high):
        raise ValueError(
            f"skal være mellem {low:g} og {high:g}" if high is not None else "må ikke være negativ"
        )
    return int(number) if number.is_integer() else number


def parse(question: Question, texts: dict[str, str]) -> Any:
    """The value of `question` from the text of its columns (`texts`, by column); None when
    unanswered. Raises ValueError((column, message)) for a value that does not fit."""
    kind = question.kind
    text = texts.get(question.key, "").strip()
    try:
        if kind == Question.Kind.GENDER_SPLIT:
            parts = {g: texts.get(f"{question.key}.{g}", "").strip() for g in GENDERS}
            if not text and not any(parts.values()):
                return None
            return split_value(
                total=_number(text, low=0, high=None, whole=True) if text else None,
                parts={g: _number(t, low=0, high=None, whole=True) for g, t in parts.items() if t},
            )
        if not text:
            return None
        if kind == Question.Kind.INTEGER:
            return _number(text, low=0, high=None, whole=True)
        if kind == Question.Kind.PERCENT:
            return _number(text, low=0, high=100, whole=False)
        if kind == Question.Kind.YES_NO:
            if text.lower() in YES:
                return True
            if text.lower() in NO:
                return False
            raise ValueError("skal være ja eller nej")
        allowed = [value for value, _label in question.option_pairs()]
        if kind == Question.Kind.CHOICE:
            if text not in allowed:
                raise ValueError(f"“{text}” er ikke en af svarmulighederne")
            return text
        if kind == Question.Kind.CHOICES:
            chosen = [part.strip() for part in text.split(CHOICE_SEPARATOR) if part.strip()]
            unknown = [part for part in chosen if part not in allowed]
            if unknown:
                raise ValueError(f"“{unknown[0]}” er ikke en af svarmulighederne")
            return [value for value in allowed if value in chosen]
        return text
    except ValueError as error:
        message = error.args[0]
        if isinstance(message, tuple):
            column, message = message
            raise ValueError((column or question.key, message)) from None
        raise ValueError((question.key, message)) from None


def split_value(*, total: int | None, parts: dict[str, int]) -> dict[str, int]:
    """A gender split from its total and parts; raises ValueError((column, message)) when the
    parts do not add up to the total."""
    if total is None:
        raise ValueError(("", "mangler det samlede antal"))
    if sum(parts.values()) != total:
        raise ValueError(
            ("", f"delene giver {sum(parts.values())}, men det samlede antal er {total}")
        )
    return {"total": total, **{g: parts.get(g, 0) for g in GENDERS}}
