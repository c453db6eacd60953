from django.contrib import admin
from django.urls import include, path

from handlespor.accounts.urls import auth_urlpatterns

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("backoffice/indbakke/", include("handlespor.inbox.urls")),
    path("backoffice/", include("handlespor.calls.staff_urls")),
    path("udvaelgelse/", include("handlespor.selection.urls")),
    path("konto/", include(auth_urlpatterns)),
    path("konto/", include("handlespor.accounts.urls")),
    path("", include("handlespor.privacy.urls")),
    path("", include("handlespor.trackyear.urls")),
    path("", include("handlespor.reporting.urls")),
    path("", include("handlespor.calls.urls")),
]
