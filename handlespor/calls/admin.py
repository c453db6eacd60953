from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from handlespor.admin_filters import ValueFilter
from handlespor.calls.domain import application_set_eligibility
from handlespor.calls.exports import applications_csv, applications_for_export, applications_xlsx
from handlespor.calls.models import Application, ApplicationEvent, Call, Target, Track


class TrackInline(admin.StackedInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["leaders"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = Target.EDITABLE_FIELDS


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "opens_at", "deadline"]
    inlines = [TrackInline, TargetInline]


class TrackFilter(admin.SimpleListFilter):
    title = _("handlespor (1. eller 2. prioritet)")
    parameter_name = "track"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [
            (track.pk, f"{track.name} ({track.call.year})")
            for track in Track.objects.select_related("call").order_by("-call__year", "position")
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(Q(first_choice=self.value()) | Q(second_choice=self.value()))
        return queryset


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    fields = ["at", "kind", "actor", "by_applicant", "detail"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _set_eligibility(eligibility: str):
    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        for application in queryset:
            application_set_eligibility(
                application=application, eligibility=eligibility, actor=request.user
            )
        modeladmin.message_user(
            request, _("%(n)s ansøgninger opdateret.") % {"n": len(queryset)}, messages.SUCCESS
        )

    action.__name__ = f"mark_{eligibility}"
    return action


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation_display",
        "first_choice",
        "second_choice",
        "region",
        "gender",
        "seniority",
        "eligibility",
        "state",
        "submitted_at",
    ]
    list_filter = [
        "call",
        TrackFilter,
        "state",
        "eligibility",
        "channel",
        ("region", ValueFilter),
        ("gender", ValueFilter),
        ("actor_type", ValueFilter),
        ("seniority", ValueFilter),
        ("role", ValueFilter),
    ]
    search_fields = ["name", "email", "organisation__name", "organisation_name", "motivation"]
    list_select_related = ["call", "organisation", "first_choice", "second_choice"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "token_hash",
        "consent_at",
        "submitted_at",
        "updated_at",
        "withdrawn_at",
        "text_cut_from",
        "erasure_requested_at",
        "anonymised_at",
    ]
    raw_id_fields = ["person"]
    autocomplete_fields = ["organisation"]
    inlines = [ApplicationEventInline]
    actions = [
        admin.action(description=_("Markér som partner (godkendt)"))(
            _set_eligibility(Application.Eligibility.ELIGIBLE)
        ),
        admin.action(description=_("Markér som “skal tjekkes”"))(
            _set_eligibility(Application.Eligibility.NEEDS_CHECK)
        ),
        admin.action(description=_("Markér som ikke partner"))(
            _set_eligibility(Application.Eligibility.NOT_ELIGIBLE)
        ),
        "export_csv",
        "export_xlsx",
    ]

    @admin.display(description=_("organisation"))
    def organisation_display(self, application: Application) -> str:
        return application.organisation_display

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        application = super().get_object(request, object_id, from_field)
        if application is not None and request.method == "GET":
            ApplicationEvent.objects.create(
                application=application, kind=ApplicationEvent.Kind.VIEWED, actor=request.user
            )
        return application

    def _download(self, content: bytes, content_type: str, filename: str) -> HttpResponse:
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description=_("Eksportér valgte som CSV"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return self._download(
            applications_csv(applications_for_export(queryset)),
            "text/csv; charset=utf-8",
            "ansoegninger.csv",
        )

    @admin.action(description=_("Eksportér valgte som XLSX"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return self._download(
            applications_xlsx(applications_for_export(queryset)),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "ansoegninger.xlsx",
        )
