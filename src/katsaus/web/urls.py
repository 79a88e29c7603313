"""The application's addresses. Every page but login, the language switch and the published reports needs a
login; a published report that is not public needs one too (the view asks the services)."""

from django.urls import include, path, register_converter

from katsaus.web import views


class PeriodConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PeriodConverter, "period")

app_name = "web"

REPORT = "r/<slug:org>/<slug:template>/<period:period>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/publish/", views.publish, name="publish"),
    path("rounds/<int:round_id>/units/<slug:unit_code>/", views.unit_detail, name="unit"),
    path("rounds/<int:round_id>/units/<slug:unit_code>/texts/<slug:section>/", views.narrative_save,
         name="narrative_save"),
    path("rounds/<int:round_id>/units/<slug:unit_code>/texts/<slug:section>/preview/", views.narrative_preview,
         name="narrative_preview"),
    path("rounds/<int:round_id>/units/<slug:unit_code>/deviations/<str:line_code>/", views.explanation_save,
         name="explanation_save"),
    path("rounds/<int:round_id>/units/<slug:unit_code>/entries/<slug:kind>/<str:code>/", views.entry_save,
         name="entry_save"),
    path("rounds/<int:round_id>/units/<slug:unit_code>/<slug:action>/", views.unit_action, name="unit_action"),
    path("upload/", views.upload, name="upload"),
    path("forecast/", views.forecast, name="forecast"),
    path("forecast/sheet/", views.forecast_sheet, name="forecast_sheet"),
    path("users/", views.users, name="users"),
    path("users/<str:name>/<slug:change>/", views.user_change, name="user_change"),
    path("audit.csv", views.audit_export, name="audit"),
    path("reports/", views.reports, name="reports"),
    path(REPORT, views.report_page, name="report"),
    path(REPORT + "v<int:version>/", views.report_page, name="report_version"),
    path(REPORT + "data/<str:name>", views.report_data, name="report_data"),
    path(REPORT + "v<int:version>/data/<str:name>", views.report_data, name="report_data_version"),
    path(REPORT + "v<int:version>/<str:name>", views.report_file, name="report_file"),
]

root = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include((urlpatterns, "web"))),
]
