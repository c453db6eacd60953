from django.urls import path

from handlespor.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("upload/", views.inbox_upload, name="upload"),
    path("hent/", views.inbox_fetch, name="fetch"),
    path("<int:pk>/", views.message_detail, name="message"),
    path("<int:pk>/ansoegning/", views.message_make_application, name="make"),
    path("<int:pk>/knyt/", views.message_attach, name="attach"),
    path("<int:pk>/til-side/", views.message_dismiss, name="dismiss"),
    path("<int:pk>/ret/", views.message_correct, name="correct"),
    path("<int:pk>/flet/", views.message_merge, name="merge"),
    path("<int:pk>/e-mail.eml", views.message_raw, name="raw"),
    path("fil/<int:pk>/", views.attachment_download, name="attachment"),
]
