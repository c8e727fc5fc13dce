from django.apps import AppConfig


class SeedConfig(AppConfig):
    """Demo and scale data (`seed_demo`, `seed_scale`): the top layer, below only `bench`, so
    it may import every app and no app imports it."""

    name = "mesoclinic.seed"
    label = "seed"
