from django.urls import path

from handlespor.calls import inbox_views, staff_views

app_name = "backoffice"
urlpatterns = [
    path("", staff_views.dashboard_current, name="home"),
    path("<int:year>/", staff_views.dashboard, name="dashboard"),
    path("<int:year>/ansoegninger.<str:fmt>", staff_views.export, name="export"),
    path("indbakke/", inbox_views.inbox, name="inbox"),
    path("indbakke/upload/", inbox_views.inbox_upload, name="inbox_upload"),
    path("indbakke/hent/", inbox_views.inbox_fetch, name="inbox_fetch"),
    path("indbakke/<int:pk>/", inbox_views.message_detail, name="inbox_message"),
    path("indbakke/<int:pk>/ansoegning/", inbox_views.message_make_application, name="inbox_make"),
    path("indbakke/<int:pk>/knyt/", inbox_views.message_attach, name="inbox_attach"),
    path("indbakke/<int:pk>/til-side/", inbox_views.message_dismiss, name="inbox_dismiss"),
    path("indbakke/<int:pk>/ret/", inbox_views.message_correct, name="inbox_correct"),
    path("indbakke/<int:pk>/flet/", inbox_views.message_merge, name="inbox_merge"),
    path("indbakke/<int:pk>/e-mail.eml", inbox_views.message_raw, name="inbox_raw"),
    path("indbakke/fil/<int:pk>/", inbox_views.attachment_download, name="inbox_attachment"),
]
