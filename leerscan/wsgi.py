"""WSGI entry point (gunicorn leerscan.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerscan.settings")
application = get_wsgi_application()
