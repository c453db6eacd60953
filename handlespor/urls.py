from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("handlespor · back office")
admin.site.site_title = _("handlespor")
admin.site.index_title = _("Sekretariatet")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("backoffice/", include("handlespor.calls.staff_urls")),
    path("udvaelgelse/", include("handlespor.selection.urls")),
    path("konto/", include("django.contrib.auth.urls")),
    path("", include("handlespor.calls.urls")),
]
