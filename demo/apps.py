from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo seeding (``seed_demo``) and benchmark data (``generate_bench_data``): the one app
    outside the project package that writes content of every app, so the core never names
    them. It has no models."""

    name = "demo"
    verbose_name = "Demo content"
