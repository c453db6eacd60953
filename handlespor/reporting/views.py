"""The reporting's pages: the contact people's answer page behind their private link and the
neutral page to ask for a new link; for staff the rounds, the status page with the list to
chase, the results, the exports and the import."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from handlespor.downloads import formula_safe, table_csv, table_download, table_xlsx
from handlespor.links import private
from handlespor.partners.models import Organisation, Person
from handlespor.reporting import answers, domain
from handlespor.reporting.forms import ImportForm, NewLinkForm, ReportForm
from handlespor.reporting.models import Report, ReportLink, ReportVersion, Round
from handlespor.reporting.results import GROUPINGS, round_results, status_counts
from handlespor.roles import require
from handlespor.tables import TableError


def _get_link_for_token(token: str) -> ReportLink:
    """The contact person's link; a wrong, old or foreign token is a 404."""
    link = domain.report_get_by_token(token=token)
    if link is None:
        raise Http404
    return link


@private
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    link = _get_link_for_token(token)
    report = link.report
    reporting_round = report.round
    is_open = reporting_round.is_open()
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    form = ReportForm(
        posted,
        questions=reporting_round.ordered_questions(),
        language=get_language(),
        submit=action == "submit" or report.submitted,
        values=report.values,
    )
    closed_error = posted is not None and not is_open
    if posted is not None and is_open and form.is_valid():
        kind = domain.report_save(
            report=report, values=form.values(), by=link.person.name, submit=action == "submit"
        )
        messages.success(
            request,
            {
                ReportVersion.Kind.DRAFT: _(
                    "Kladden er gemt. Den er ikke indsendt endnu; du eller en kollega kan "
                    "fortsætte via jeres links."
                ),
                ReportVersion.Kind.SUBMITTED: _(
                    "Tak! Rapporteringen er indsendt. I kan rette den, indtil runden lukker."
                ),
                ReportVersion.Kind.CORRECTED: _("Rettelserne er gemt."),
            }[kind],
        )
        return redirect("reporting:answer", token=token)
    return render(
        request,
        "reporting/answer.html",
        {
            "link": link,
            "report": report,
            "round": reporting_round,
            "organisation": report.organisation,
            "form": form,
            "is_open": is_open,
            "closed_error": closed_error,
            "intro": reporting_round.intro_in(get_language()),
            "versions": report.versions.order_by("-saved_at", "-pk")[:20],
        },
        status=400 if posted is not None else 200,
    )


@private
@require_http_methods(["GET", "HEAD", "POST"])
def new_link(request: HttpRequest) -> HttpResponse:
    """Ask for a new link by e-mail; the answer is the same whatever the address."""
    form = NewLinkForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        domain.report_link_request(email=form.cleaned_data["email"])
        messages.success(
            request,
            _(
                "Hvis adressen tilhører en kontaktperson for en partnerorganisation, og en "
                "rapportering er åben, har vi sendt et nyt link til den. Kig også i spamfilteret."
            ),
        )
        return redirect("reporting:new_link")
    return render(request, "reporting/new_link.html", {"form": form})


# The secretariat's pages.


@require("reporting.view_results")
@require_safe
def rounds(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/rounds.html", {"rounds": Round.objects.all()})


def _get_round(year: int) -> Round:
    return get_object_or_404(Round, year=year)


def _round_reports(reporting_round: Round) -> list[Report]:
    """A report for every organisation in the round or active in the register: the stored ones
    and, for an active organisation not invited yet, an unsaved one that has not started."""
    contacts = Prefetch(
        "people", queryset=Person.objects.filter(contact=True).order_by("name"), to_attr="contacts"
    )
    stored = {
        report.organisation_id: report
        for report in reporting_round.reports.select_related("organisation").prefetch_related(
            Prefetch("organisation__people", queryset=contacts.queryset, to_attr="contacts")
        )
    }
    missing = (
        Organisation.objects.filter(is_active=True)
        .exclude(pk__in=stored)
        .prefetch_related(contacts)
    )
    reports = list(stored.values()) + [
        Report(round=reporting_round, organisation=organisation) for organisation in missing
    ]
    return sorted(reports, key=lambda report: report.organisation.name.lower())


@require("reporting.view_status")
@require_safe
def status(request: HttpRequest, year: int) -> HttpResponse:
    reporting_round = _get_round(year)
    reports = _round_reports(reporting_round)
    counts = {state: 0 for state in Report.Status.values}
    for report in reports:
        counts[report.status] += 1
    return render(
        request,
        "reporting/status.html",
        {
            "round": reporting_round,
            "rounds": Round.objects.all(),
            "counts": counts,
            "total": len(reports),
            "by_actor_type": status_counts(reports, "actor_type"),
            "by_region": status_counts(reports, "region"),
            "to_chase": [report for report in reports if not report.submitted],
            "is_open": reporting_round.is_open(),
            "import_form": ImportForm(),
        },
    )


@require("reporting.remind")
@require_POST
def remind(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """One click: remind one organisation's contact people now."""
    reporting_round = _get_round(year)
    organisation = get_object_or_404(Organisation, pk=pk)
    if not reporting_round.is_open():
        messages.error(request, _("Runden er ikke åben, så der sendes ingen påmindelser."))
        return redirect("reporting:status", year=year)
    report, _created = Report.objects.get_or_create(
        round=reporting_round, organisation=organisation
    )
    if report.invited_at is None:
        report.invited_at = timezone.now()
        report.save(update_fields=["invited_at"])
    sent = domain.report_remind(report=report)
    if sent:
        messages.success(
            request,
            _("Påmindelsen er sendt til %(count)s kontaktperson(er) for %(name)s.")
            % {"count": sent, "name": organisation.name},
        )
    else:
        messages.error(
            request,
            _("%(name)s har ingen kontaktperson i partnerregistret, eller har indsendt.")
            % {"name": organisation.name},
        )
    return redirect("reporting:status", year=year)


@require("reporting.remind")
@require_POST
def invite(request: HttpRequest, year: int) -> HttpResponse:
    """Send the invitations now instead of at the next hourly round."""
    reporting_round = _get_round(year)
    if not reporting_round.is_open():
        messages.error(request, _("Runden er ikke åben endnu eller er lukket."))
    else:
        sent = domain.round_invite(reporting_round=reporting_round)
        messages.success(request, _("%(count)s invitationer er sendt.") % {"count": sent})
    return redirect("reporting:status", year=year)


@require("reporting.view_results")
@require_safe
def results(request: HttpRequest, year: int) -> HttpResponse:
    reporting_round = _get_round(year)
    grouping = request.GET.get("opdelt", "")
    if grouping not in GROUPINGS:
        grouping = ""
    submitted = reporting_round.reports.filter(status=Report.Status.SUBMITTED).count()
    return render(
        request,
        "reporting/results.html",
        {
            "round": reporting_round,
            "rounds": Round.objects.all(),
            "grouping": grouping,
            "submitted": submitted,
            "results": round_results(reporting_round, grouping=grouping, language=get_language()),
        },
    )


def _row_columns(reporting_round: Round) -> tuple[list, tuple[str, ...]]:
    questions = reporting_round.ordered_questions()
    columns = (
        domain.ORGANISATION_COLUMN,
        "aktørtype",
        "region",
        "status",
        "indsendt",
        *(column for question in questions for column in answers.columns(question)),
    )
    return questions, columns


@require("reporting.export_rows")
@require_safe
def rows_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """One row per organisation, every answer: staff only (not for publication)."""
    reporting_round = _get_round(year)
    questions, columns = _row_columns(reporting_round)
    reports = reporting_round.reports.select_related("organisation").order_by("organisation__name")

    def rows():
        for report in reports:
            submitted_at = (
                timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")
                if report.submitted_at
                else ""
            )
            cells = [
                report.organisation.name,
                report.organisation.actor_type,
                report.organisation.region,
                report.get_status_display(),
                submitted_at,
                *(
                    cell
                    for question in questions
                    for cell in answers.cells(question, report.values.get(question.key))
                ),
            ]
            yield [formula_safe(cell) for cell in cells]

    return table_download(
        fmt=fmt,
        name=f"rapportering-{year}-organisationer",
        writers={
            "csv": lambda: table_csv(columns, rows()),
            "xlsx": lambda: table_xlsx(f"Rapportering {year}", columns, rows()),
        },
    )


@require("reporting.view_results")
@require_safe
def aggregate_export(request: HttpRequest, year: int) -> HttpResponse:
    """The aggregate tables for publication: whole round, by actor type and by region; a group
    of fewer than five organisations shows no figure."""
    reporting_round = _get_round(year)
    columns = ("nøgle", "spørgsmål", "opdeling", "gruppe", "svar", "værdi", "antal", "andel")
    language = get_language()

    def rows():
        for grouping_label, grouping in (
            ("i alt", ""),
            ("aktørtype", "aktoertype"),
            ("region", "region"),
        ):
            for result in round_results(reporting_round, grouping=grouping, language=language):
                if result.is_text:
                    continue
                for figure in result.figures:
                    head = [
                        result.question.key,
                        result.question.text_in(language),
                        grouping_label,
                        figure.label,
                    ]
                    if figure.hidden:
                        yield [*head, _("færre end 5"), "", "", ""]
                        continue
                    for value, count, share in figure.rows():
                        yield [*head, str(figure.answered), value, count, share]

    return table_download(
        fmt="xlsx",
        name=f"rapportering-{year}-tal",
        writers={"xlsx": lambda: table_xlsx(f"Tal {year}", columns, rows())},
    )


@require("reporting.import")
@require_POST
def import_reports(request: HttpRequest, year: int) -> HttpResponse:
    reporting_round = _get_round(year)
    form = ImportForm(request.POST, request.FILES)
    errors: list = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = domain.reports_import(
                reporting_round=reporting_round, name=upload.name, content=upload.read()
            )
        except TableError as error:
            form.add_error("file", str(error))
        else:
            if result.ok:
                messages.success(
                    request,
                    _("%(count)s organisationers svar er importeret.") % {"count": result.imported},
                )
                return redirect("reporting:status", year=year)
            errors = result.errors
    return render(
        request,
        "reporting/import.html",
        {"round": reporting_round, "form": form, "errors": errors},
        status=400,
    )
