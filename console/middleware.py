from django.conf import settings

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

        from apps.accounts.roles import Action

        app = getattr(exception, "app", None)
        membership = getattr(request, "membership", None)
        return render(
            request,
            "domain_error.html",
            {
                "error": exception,
                "app": app,
                "feature_code": getattr(exception, "feature_code", ""),
                "can_purchase": app is not None and membership is not None and membership.may(Action.PURCHASE),
            },
            status=exception.http_status,
        )
