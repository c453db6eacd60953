from django.urls import path

from handlespor.reporting import views

app_name = "reporting"
urlpatterns = [
    path("rapportering/nyt-link/", views.new_link, name="new_link"),
    path("rapportering/<str:token>/", views.answer, name="answer"),
    path("backoffice/rapportering/", views.rounds, name="rounds"),
    path("backoffice/rapportering/<int:year>/", views.status, name="status"),
    path("backoffice/rapportering/<int:year>/inviter/", views.invite, name="invite"),
    path("backoffice/rapportering/<int:year>/paamind/<int:pk>/", views.remind, name="remind"),
    path("backoffice/rapportering/<int:year>/resultater/", views.results, name="results"),
    path(
        "backoffice/rapportering/<int:year>/organisationer.<str:fmt>",
        views.rows_export,
        name="rows_export",
    ),
    path(
        "backoffice/rapportering/<int:year>/tal.xlsx",
        views.aggregate_export,
        name="aggregate_export",
    ),
    path("backoffice/rapportering/<int:year>/import/", views.import_reports, name="import"),
]
