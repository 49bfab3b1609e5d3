"""Small middleware Django does not provide."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header: this site needs no camera, microphone or location."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.value)
        return response
