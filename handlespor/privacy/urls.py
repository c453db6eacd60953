from django.urls import path

from handlespor.privacy import views

app_name = "privacy"
urlpatterns = [
    path("privatliv/", views.notice, name="notice"),
    path("ansoegning/<str:token>/slet/", views.erase, name="erase"),
    path("backoffice/sletning/", views.erasure_list, name="erasures"),
    path("backoffice/sletning/<int:pk>/", views.erasure_confirm, name="erasure_confirm"),
]
