from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from handlespor.mail.models import DeliveryAttempt, MessageTemplate, OutboxMessage


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    readonly_fields = ["at", "ok", "error"]
    can_delete = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    inlines = [DeliveryAttemptInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["key", "language", "subject"]
    list_filter = ["key", "language"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["body"].help_text = _(
            "Pladsholdere i alle e-mails: {{ name }}, {{ call }}, {{ contact }}. I afgørelser "
            "og tilbud også {{ track }}, {{ place }}, {{ meeting_plan }}, {{ link }} og "
            "{{ answer_by }}, og {{ chance }}: ansøgerens chance, når afgørelserne kommer fra "
            "en lodtrækning (fx «32,9 %»; ellers tom)."
        )
        return form
