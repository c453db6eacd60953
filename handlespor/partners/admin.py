from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from handlespor.partners.domain import partners_import
from handlespor.partners.forms import PartnerImportForm
from handlespor.partners.models import Organisation, Person, ReportingYear
from handlespor.tables import TableError


class ReportingYearInline(admin.TabularInline):
    model = ReportingYear
    extra = 1


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ["name", "email", "title"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "actor_type", "region", "is_active", "partner_since", "reported"]
    list_filter = ["is_active", "actor_type", "region", "reports__year"]
    search_fields = ["name", "people__email", "people__name"]
    inlines = [ReportingYearInline, PersonInline]
    change_list_template = "admin/partners/organisation/change_list.html"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("reports", "round_reports__round")

    @admin.display(description=_("Rapporteret for"))
    def reported(self, organisation: Organisation) -> str:
        """Each year it delivered the reporting: submitted in a round here, or recorded."""
        return ", ".join(str(year) for year in sorted(organisation.reporting_years(), reverse=True))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="partners_organisation_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return redirect("admin:index")
        form = PartnerImportForm(
            *((request.POST, request.FILES) if request.method == "POST" else ())
        )
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = partners_import(name=upload.name, content=upload.read())
            except TableError as error:
                form.add_error("file", str(error))
            else:
                if report.ok:
                    self.message_user(
                        request,
                        _(
                            "Importeret: %(oc)s nye og %(ou)s opdaterede organisationer, "
                            "%(pc)s nye og %(pu)s opdaterede personer."
                        )
                        % {
                            "oc": report.organisations_created,
                            "ou": report.organisations_updated,
                            "pc": report.people_created,
                            "pu": report.people_updated,
                        },
                        messages.SUCCESS,
                    )
                    return redirect("admin:partners_organisation_changelist")
                errors = report.errors
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importér partnerregister"),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/partners/organisation/import.html", context)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "title", "organisation", "contact"]
    list_filter = ["contact"]
    search_fields = ["name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
