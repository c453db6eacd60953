from django.urls import path

from handlespor.trackyear import views

app_name = "trackyear"
urlpatterns = [
    path("deltager/nyt-link/", views.new_link, name="new_link"),
    path("deltager/<str:token>/", views.member, name="member"),
    path("deltager/<str:token>/kalender.ics", views.member_feed, name="member_feed"),
    path("handlespor/<int:year>/<slug:slug>/", views.track_year, name="track"),
]
