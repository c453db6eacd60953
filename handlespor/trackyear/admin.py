from django.contrib import admin

from handlespor.trackyear.models import Meeting, Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "postcode", "region", "step_free", "hearing_loop", "quiet_room"]
    search_fields = ["name", "town", "postcode"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "track", "status", "starts_at", "venue"]
    list_filter = ["status", "format"]
    search_fields = ["title", "track__name"]
    autocomplete_fields = ["venue"]
    readonly_fields = ["uid", "sequence"]
