from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "katsaus.web"
    label = "katsaus_web"
    verbose_name = "Katsaus web"
