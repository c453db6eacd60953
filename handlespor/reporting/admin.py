from datetime import date

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from handlespor.reporting.domain import round_create
from handlespor.reporting.models import Question, Report, ReportVersion, Round, Section


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class FrozenMixin:
    """A round's questionnaire can be read but not changed once an answer is saved."""

    def _frozen(self, obj) -> bool:
        if obj is None:
            return False
        reporting_round = obj if isinstance(obj, Round) else obj._round()
        return reporting_round.frozen

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


class FrozenInlineMixin(FrozenMixin):
    """An inline also adds nothing to a frozen round (`obj` is the parent)."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not self._frozen(obj)


class SectionInline(FrozenInlineMixin, admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "title", "title_en"]
    show_change_link = True


class QuestionInline(FrozenInlineMixin, admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("position", "key", "kind", "required"),
        ("text", "text_en"),
        ("help", "help_en"),
        "options",
        "example",
    ]
    readonly_fields = ["example"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_on", "closes_on", "invited_at", "questionnaire"]
    fields = ["year", "opens_on", "closes_on", "intro", "intro_en", "invited_at"]
    readonly_fields = ["invited_at"]
    inlines = [SectionInline]
    actions = ["copy_to_next_year"]

    @admin.display(description=gettext_lazy("Spørgeskema"))
    def questionnaire(self, reporting_round: Round) -> str:
        if reporting_round.frozen:
            return _("låst (der er gemt svar)")
        if Question.objects.filter(section__round=reporting_round, example=True).exists():
            return format_html(
                "<strong>{}</strong>",
                _("Eksempelspørgeskema: tilpas det, før runden åbner"),
            )
        return _("kan redigeres")

    def get_inline_instances(self, request: HttpRequest, obj=None):
        # A new round gets its questionnaire from `round_create`, not from inline forms.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Round, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        earlier = Round.objects.filter(year__lt=obj.year).order_by("-year").first()
        created = round_create(
            year=obj.year,
            opens_on=obj.opens_on,
            closes_on=obj.closes_on,
            intro=obj.intro,
            intro_en=obj.intro_en,
            copy_from=earlier,
        )
        obj.pk = created.pk
        obj.created_at = created.created_at
        self.message_user(
            request,
            _("Spørgeskemaet er kopieret fra %(year)s.") % {"year": earlier.year}
            if earlier
            else _(
                "Runden har fået eksempelspørgeskemaet. Tilpas spørgsmålene under hvert afsnit, "
                "før runden åbner."
            ),
            messages.INFO,
        )

    @admin.action(description=gettext_lazy("Kopiér spørgeskemaet til en ny runde året efter"))
    def copy_to_next_year(self, request: HttpRequest, queryset: QuerySet[Round]) -> None:
        for reporting_round in queryset:
            if Round.objects.filter(year=reporting_round.year + 1).exists():
                self.message_user(
                    request,
                    _("Der findes allerede en runde for %(year)s.")
                    % {"year": reporting_round.year + 1},
                    messages.ERROR,
                )
                continue
            round_create(
                year=reporting_round.year + 1,
                opens_on=_next_year(reporting_round.opens_on),
                closes_on=_next_year(reporting_round.closes_on),
                intro=reporting_round.intro,
                intro_en=reporting_round.intro_en,
                copy_from=reporting_round,
            )
            self.message_user(
                request,
                _("Runden for %(year)s er oprettet med samme spørgsmål.")
                % {"year": reporting_round.year + 1},
                messages.SUCCESS,
            )


@admin.register(Section)
class SectionAdmin(FrozenMixin, admin.ModelAdmin):
    list_display = ["title", "round", "position"]
    list_filter = ["round"]
    inlines = [QuestionInline]

    def save_formset(self, request, form, formset, change) -> None:
        for inline_form in formset.forms:
            if inline_form.has_changed() and hasattr(inline_form.instance, "example"):
                inline_form.instance.example = False
        super().save_formset(request, form, formset, change)


@admin.register(Question)
class QuestionAdmin(FrozenMixin, admin.ModelAdmin):
    list_display = ["text", "key", "kind", "required", "section", "example"]
    list_filter = ["section__round", "kind", "example"]
    search_fields = ["text", "key"]
    readonly_fields = ["example"]

    def save_model(self, request: HttpRequest, obj: Question, form, change: bool) -> None:
        obj.example = False
        super().save_model(request, obj, form, change)


class ReportVersionInline(admin.TabularInline):
    model = ReportVersion
    extra = 0
    fields = ["saved_at", "kind", "saved_by", "values"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["organisation", "round", "status", "saved_by", "saved_at", "submitted_at"]
    list_filter = ["round", "status", "imported"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "round"]
    readonly_fields = [
        "round",
        "organisation",
        "status",
        "values",
        "saved_by",
        "saved_at",
        "submitted_at",
        "imported",
        "invited_at",
        "reminded_at",
        "reminders_sent",
    ]
    inlines = [ReportVersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
