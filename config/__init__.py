"""The project: settings, URLs, WSGI/ASGI entry points, gunicorn config and project-wide middleware."""
