from django.urls import path

from leerscan.scans import views

app_name = "scans"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("privacy/", views.privacy, name="privacy"),
    path("scan/", views.scan_start, name="start"),
]
