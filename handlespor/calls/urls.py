from django.urls import path

from handlespor.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.call_current, name="current"),
    path("open-call/<int:year>/", views.call_detail, name="call"),
    path("open-call/<int:year>/ansoeg/", views.application_create, name="apply"),
    path("open-call/<int:year>/kvittering/", views.application_received, name="received"),
    path(
        "open-call/<int:year>/kommissorium/<slug:slug>.pdf",
        views.track_terms_pdf,
        name="terms_pdf",
    ),
    path("open-call/postnummer/", views.region_hint, name="region_hint"),
    path("ansoegning/<str:token>/", views.application_detail, name="application"),
    path("ansoegning/<str:token>/ret/", views.application_edit, name="edit"),
    path("ansoegning/<str:token>/udfyld/", views.application_complete, name="complete"),
    path("ansoegning/<str:token>/traek-tilbage/", views.application_withdraw, name="withdraw"),
    path("ansoegning/<str:token>/genoptag/", views.application_reinstate, name="reinstate"),
    path("ansoegning/<str:token>/data.json", views.application_export, name="export"),
]
