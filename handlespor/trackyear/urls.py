from django.urls import path

from handlespor.trackyear import views

app_name = "trackyear"
urlpatterns = [
    path("deltager/nyt-link/", views.new_link, name="new_link"),
    path("deltager/<str:token>/", views.member, name="member"),
    path("deltager/<str:token>/kalender.ics", views.member_feed, name="member_feed"),
    path("deltager/<str:token>/dokument/<int:pk>/", views.member_document, name="member_document"),
    path("handlespor/<int:year>/", views.overview, name="overview"),
    path("handlespor/<int:year>/deltagere.<str:fmt>", views.members_export, name="members_export"),
    path("handlespor/<int:year>/moeder.ics", views.staff_feed, name="staff_feed"),
    path("handlespor/<int:year>/<slug:slug>/", views.track_year, name="track"),
    path("handlespor/<int:year>/<slug:slug>/moede/<int:pk>/", views.meeting_page, name="meeting"),
    path(
        "handlespor/<int:year>/<slug:slug>/dokument/<int:pk>/",
        views.document_download,
        name="document",
    ),
]
