from django.contrib import admin

from handlespor.selection.models import Conflict, Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["application", "track", "reviewer", "score", "updated_at"]
    list_filter = ["track", "score"]
    list_select_related = ["application__call", "track", "reviewer"]
    raw_id_fields = ["application"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "application", "reason", "declared_at"]
    list_select_related = ["reviewer", "application__call"]
    raw_id_fields = ["application"]
