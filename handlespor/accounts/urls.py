from django.contrib.auth import views as auth_views
from django.urls import path

from handlespor.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("videre/", views.landing, name="landing"),
    path("totrin/", views.two_factor, name="two_factor"),
    path("totrin/opsaet/", views.two_factor_setup, name="two_factor_setup"),
]

# Django's own login, logout and password change, under their usual names.
auth_urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("adgangskode/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "adgangskode/skiftet/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
