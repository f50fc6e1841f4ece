from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

# No inline script or style anywhere: every page must satisfy this policy.
DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        # The Django admin ships inline scripts of its own; it is staff-only and keeps its own defaults.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class DomainErrorMiddleware:
    """A domain error no view handled answers its status with its message on a console page, so a POST that a
    rule refuses (a feature not in the app's plan: 403) writes nothing and says why, with the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from console.errors import DomainError

        if not isinstance(exception, DomainError):
            return None
        from django.shortcuts import render

        return render(
            request,
            "domain_error.html",
            {
                "error": exception,
                "app": getattr(exception, "app", None),
                "feature_code": getattr(exception, "feature_code", ""),
            },
            status=exception.http_status,
        )


class RejectNulInPathMiddleware:
    """A NUL character in the path (``%00``) answers 400 with a message before any view runs: no URL of the
    console contains one, and PostgreSQL refuses it in every text comparison (a 500 otherwise). Query strings
    and form fields are checked where they are read (form fields refuse NUL through Django's validator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return render(request, "400.html", {"message": _("The address contains a NUL character.")},
                          status=400)
        return self.get_response(request)
