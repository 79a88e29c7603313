from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "katsaus.store"
    label = "katsaus"
    verbose_name = "Katsaus"

    def ready(self) -> None:
        from .acting import connect

        connect()  # every history record names the acting person
