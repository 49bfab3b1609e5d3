"""WSGI entry point: `gunicorn explainer.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "explainer.settings")
application = get_wsgi_application()
