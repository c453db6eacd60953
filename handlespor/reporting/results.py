"""A round's results: per question the distribution of the submitted answers, for the whole
round or split by actor type or region, and against the previous round where the question is
the same. Small-group protection: a group with fewer than MIN_GROUP organisations shows no
figure, on the page and in the aggregate export alike (both are meant for publication)."""

from dataclasses import dataclass, field
from statistics import quantiles
from typing import Any

from django.utils.translation import gettext

from handlespor.attributes import GENDERS
from handlespor.charts import BAR_WIDTH, Bar, share_bar
from handlespor.reporting.models import Question, Report, Round

MIN_GROUP = 5
GROUPINGS = {"aktoertype": "actor_type", "region": "region"}
TEXT_KINDS = {Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT}


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    share: float
    x: int
    width: int


@dataclass
class Figure:
    """One group's figure for one question: hidden when fewer than MIN_GROUP answered."""

    label: str
    answered: int
    tallies: list[tuple[str, int]] = field(default_factory=list)  # (value, organisations)
    segments: list[Segment] = field(default_factory=list)
    summary: str = ""

    @property
    def hidden(self) -> bool:
        return self.answered < MIN_GROUP

    @property
    def bars(self) -> list[Bar]:
        return [
            share_bar(label=label, count=count, total=self.answered)
            for label, count in self.tallies
        ]

    def rows(self) -> list[tuple[str, str, str]]:
        """(value, count, share) rows for the aggregate export; none when hidden."""
        if self.hidden:
            return []
        if self.segments:
            return [(s.label, str(s.count), f"{round(s.share * 100)} %") for s in self.segments]
        if self.tallies:
            return [
                (label, str(count), f"{round(count / self.answered * 100)} %")
                for label, count in self.tallies
            ]
        return [(gettext("Kvartiler"), self.summary, "")] if self.summary else []


@dataclass
class QuestionResult:
    question: Question
    figures: list[Figure]
    previous: Figure | None = None

    @property
    def is_text(self) -> bool:
        return self.question.kind in TEXT_KINDS


def _stacked(counts: dict[str, int]) -> list[Segment]:
    total = sum(counts.values())
    segments, x = [], 0
    for label, count in counts.items():
        share = count / total if total else 0.0
        width = round(share * BAR_WIDTH)
        segments.append(Segment(label=gettext(label), count=count, share=share, x=x, width=width))
        x += width
    return segments


def _number_text(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def figure(question: Question, label: str, values: list[Any], language: str) -> Figure:
    """The figure of one group's answers (`values`: the answered ones)."""
    answered = len(values)
    result = Figure(label=label, answered=answered)
    if answered < MIN_GROUP:
        return result
    kind = question.kind
    if kind == Question.Kind.YES_NO:
        yes = sum(1 for value in values if value)
        result.tallies = [(gettext("Ja"), yes), (gettext("Nej"), answered - yes)]
    elif kind in {Question.Kind.CHOICE, Question.Kind.CHOICES}:
        for value, option_label in question.options_in(language):
            count = sum(
                1
                for answer in values
                if (value in answer if isinstance(answer, list) else answer == value)
            )
            result.tallies.append((option_label, count))
    elif kind == Question.Kind.GENDER_SPLIT:
        counts = {gender: sum(int(value.get(gender, 0)) for value in values) for gender in GENDERS}
        result.segments = _stacked(counts)
        result.summary = gettext("%(total)s personer i alt") % {"total": sum(counts.values())}
    elif kind in {Question.Kind.INTEGER, Question.Kind.PERCENT}:
        numbers = sorted(float(value) for value in values)
        low, median, high = quantiles(numbers, n=4, method="inclusive")
        result.summary = gettext("median %(median)s · midterste halvdel %(low)s–%(high)s") % {
            "median": _number_text(median),
            "low": _number_text(low),
            "high": _number_text(high),
        }
        result.tallies = _histogram(numbers, percent=kind == Question.Kind.PERCENT)
    return result


def _histogram(numbers: list[float], *, percent: bool) -> list[tuple[str, int]]:
    """Five bins: 0–20 … 80–100 for a percentage, else even bins from 0 to the upper quartile
    and an open last bin (so one large organisation does not flatten the rest)."""
    if percent:
        edges = [0, 20, 40, 60, 80]
        top = None
    else:
        upper = quantiles(numbers, n=4, method="inclusive")[2]
        step = max(1, round(upper / 4))
        edges = [step * index for index in range(5)]
        top = edges[-1]
    bins = []
    for index, low in enumerate(edges):
        last = index == len(edges) - 1
        high = edges[index + 1] if not last else None
        count = sum(
            1
            for number in numbers
            if number >= low and (high is None or number < high or (percent and last))
        )
        if high is None:
            label = f"{_number_text(low)}–100 %" if percent else f"{_number_text(top)} +"
        else:
            label = f"{_number_text(low)}–{_number_text(high)}" + (" %" if percent else "")
        bins.append((label, count))
    return bins


def _answered(reports: list[Report], key: str) -> list[Any]:
    return [report.values[key] for report in reports if key in report.values]


def round_results(
    reporting_round: Round, *, grouping: str = "", language: str = "da"
) -> list[QuestionResult]:
    """Every question's figures: one for the whole round, or one per actor type or region
    (`grouping`, a key of GROUPINGS), and the previous round's where the question is the same."""
    reports = list(
        reporting_round.reports.filter(status=Report.Status.SUBMITTED).select_related(
            "organisation"
        )
    )
    previous_round = Round.objects.filter(year__lt=reporting_round.year).order_by("-year").first()
    previous_questions: dict[str, Question] = {}
    previous_reports: list[Report] = []
    if previous_round is not None and not grouping:
        previous_questions = {q.key: q for q in previous_round.ordered_questions()}
        previous_reports = list(previous_round.reports.filter(status=Report.Status.SUBMITTED))
    attribute = GROUPINGS.get(grouping)
    groups: dict[str, list[Report]] = {}
    if attribute:
        for report in sorted(reports, key=lambda r: getattr(r.organisation, attribute) or ""):
            value = getattr(report.organisation, attribute) or gettext("Ukendt")
            groups.setdefault(value, []).append(report)
    results = []
    for question in reporting_round.ordered_questions():
        if attribute:
            figures = [
                figure(question, gettext(label), _answered(members, question.key), language)
                for label, members in groups.items()
            ]
        else:
            figures = [
                figure(
                    question,
                    str(reporting_round.year),
                    _answered(reports, question.key),
                    language,
                )
            ]
        previous = None
        earlier = previous_questions.get(question.key)
        if earlier is not None and earlier.same_as(question):
            previous = figure(
                question,
                str(previous_round.year),
                _answered(previous_reports, question.key),
                language,
            )
        results.append(QuestionResult(question=question, figures=figures, previous=previous))
    return results


def status_counts(reports: list[Report], attribute: str) -> list[dict[str, Any]]:
    """Per value of the organisations' `attribute`: how many submitted, have a draft, or have
    not started."""
    rows: dict[str, dict[str, Any]] = {}
    for report in reports:
        value = getattr(report.organisation, attribute) or gettext("Ukendt")
        row = rows.setdefault(
            value, {"label": gettext(value), "submitted": 0, "draft": 0, "not_started": 0}
        )
        row[report.status] += 1
    return [rows[key] for key in sorted(rows)]
