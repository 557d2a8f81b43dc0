"""The results page and the report of a finished scan, under the scan's private link."""

from django.urls import path

import leerscan.scans.urls  # noqa: F401 (registers the "token" path converter)
from leerscan.reports import views

app_name = "reports"
urlpatterns = [
    path("scan/<token:token>/resultaten/", views.results_page, name="results"),
    path("scan/<token:token>/adviesrapport.pdf", views.report_download, name="report"),
    path("scan/<token:token>/adviesrapport/status/", views.report_status, name="report_status"),
    path("scan/<token:token>/benchmark/", views.living_consent, name="living_consent"),
    path("scan/<token:token>/opnieuw-vergelijken/", views.compare_again, name="compare_again"),
]
