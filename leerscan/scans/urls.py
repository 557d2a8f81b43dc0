from django.urls import path, register_converter

from leerscan.scans import resume, views
from leerscan.scans.models import TOKEN_PATTERN


class TokenConverter:
    """A scan token: 32 URL-safe characters. Anything else is a 404 before any query."""

    regex = TOKEN_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TokenConverter, "token")

app_name = "scans"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("privacy/", views.privacy, name="privacy"),
    path("gezond/", views.health, name="health"),
    path("scan/", views.scan_start, name="start"),
    path("scan/<token:token>/", views.scan_resume, name="resume"),
    path("scan/<token:token>/stap/<int:step>/", views.scan_step, name="step"),
    path("scan/<token:token>/controle/", views.scan_review, name="review"),
    path("scan/<token:token>/verwijderen/", views.scan_delete, name="delete"),
    path("scan/<token:token>/link-mailen/", resume.send_link, name="send_link"),
    path("apparaat-vergeten/", resume.forget_device, name="forget_device"),
]
