"""The application's addresses. Every page but login, the language switch and a public report needs a login."""

from django.urls import include, path

from katsaus.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]

root = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include((urlpatterns, "web"))),
]
