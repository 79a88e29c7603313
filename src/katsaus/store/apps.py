from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "katsaus.store"
    label = "katsaus"
    verbose_name = "Katsaus"
