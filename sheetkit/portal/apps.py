"""The Django application of the portal."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sheetkit.portal"
    label = "portal"
    verbose_name = "Cổng nộp kế hoạch"
    default_auto_field = "django.db.models.BigAutoField"
