from django.urls import path

from handlespor.calls import staff_views

app_name = "backoffice"
urlpatterns = [
    path("", staff_views.dashboard_current, name="home"),
    path("<int:year>/", staff_views.dashboard, name="dashboard"),
    path("<int:year>/ansoegninger.<str:fmt>", staff_views.export, name="export"),
]
