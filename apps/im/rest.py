"""The one place every REST call goes through (SPEC §11): JSON envelope, app lookup, IP whitelist, rate limit,
token check, JSON body, usage metering (SPEC §12). Views decorated with ``rest_endpoint`` are called as
``view(call, ...)`` and return a dict (the success body) or raise ImError. No session, no CSRF, no cookie: these
are machine-to-machine calls."""

import json
import logging
import time
from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from apps.applications.models import App
from apps.im import gate, metering
from apps.im.appcache import cached_app
from apps.im.errors import (
    AppNotFound,
    ForbiddenOp,
    IllegalArgument,
    ImError,
    ReachLimit,
    TooLarge,
    Unauthorized,
    error_response,
)
from apps.im.ratelimit import check_rate
from apps.im.services.auth import Principal, principal_for
from apps.ipwhitelist.networks import InvalidEntry
from apps.ipwhitelist.selectors import ip_allowed
from console.net import client_ip

logger = logging.getLogger(__name__)

# Who may call: an app token; an app token or no token when the app's registration is open; nobody (the token
# endpoint authenticates with the request body); an app token or the user's own user token.
APP_TOKEN = "app"
OPEN_REGISTRATION = "open_registration"
NO_TOKEN = "none"
APP_OR_SELF = "app_or_self"


@dataclass
class Call:
    request: object
    app: App
    started: float
    principal: Principal | None = None
    data: object = None
    path: str = ""

    def envelope(self, action: str, **body) -> dict:
        """Easemob's common response fields around ``body``."""
        return {
            "action": action,
            "application": str(self.app.uuid),
            "path": self.path,
            "uri": self.request.build_absolute_uri(self.request.path),
            **body,
            "timestamp": int(time.time() * 1000),
            "duration": int((time.monotonic() - self.started) * 1000),
            "organization": self.app.organization.name,
            "applicationName": self.app.name,
        }


def _app(org_name: str, app_name: str) -> App:
    app = cached_app(
        org_name,
        app_name,
        lambda: App.objects.select_related("organization")
        .filter(organization__name=org_name, name=app_name, status=App.Status.ACTIVE)
        .first(),
    )
    if app is None:
        raise AppNotFound(
            f"Could not find application for {org_name}/{app_name} from URI: {org_name}/{app_name}"
        )
    return app


def _check_whitelist(request, app) -> None:
    if not gate.feature_applies(app=app, code="ip_whitelist"):
        return
    try:
        allowed, _entry = ip_allowed(app=app, address=client_ip(request))
    except InvalidEntry:
        allowed = False
    if not allowed:
        raise ForbiddenOp("the IP address is not in the app's REST whitelist")


def _check_rate(app, batch: metering.Batch) -> None:
    decision = check_rate(app_id=app.pk, limit=gate.quota(app=app, code="rest_rate"))
    batch.second_count = decision.count or metering.COUNT_IN_WINDOW
    if not decision.allowed:
        raise ReachLimit("This request has reached api limit",
                         headers={"Retry-After": str(max(1, decision.retry_after))})


def _json_body(request):
    try:
        raw = request.body
    except RequestDataTooBig:
        raise TooLarge("Request Entity Too Large") from None
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise IllegalArgument("this is an invalid request: the body is not JSON") from None


def route(path: str, **methods):
    """A URL's view: ``methods`` maps an HTTP method to (view, who may call). An unlisted method answers 405 in
    the envelope; anything a view did not foresee answers 500 in the envelope (and is logged)."""

    def answer(request, batch: metering.Batch, org_name: str, app_name: str, **kwargs):
        started = time.monotonic()
        try:
            app = _app(org_name, app_name)
            batch.app_id = app.pk
            if request.method not in methods:
                raise ImError("Method Not Allowed", status=405, error="method_not_allowed",
                              exception="MethodNotAllowedException")
            view, who = methods[request.method]
            _check_whitelist(request, app)
            _check_rate(app, batch)
            call = Call(request=request, app=app, started=started, path=path)
            call.data = _json_body(request)
            authorization = request.headers.get("Authorization", "")
            if who != NO_TOKEN and (who != OPEN_REGISTRATION or authorization):
                call.principal = principal_for(app=app, authorization=authorization)
                if who in (APP_TOKEN, OPEN_REGISTRATION) and not call.principal.is_app:
                    raise Unauthorized("Unable to authenticate: this call needs an app token")
            return JsonResponse(view(call, **kwargs), json_dumps_params={"ensure_ascii": False})
        except ImError as error:
            return error_response(error, started=started)
        except Exception:
            logger.exception("REST call %s %s failed", request.method, request.path)
            return error_response(
                ImError("internal error", status=500, error="internal_server_error",
                        exception="InternalServerErrorException"),
                started=started,
            )

    @csrf_exempt
    def dispatch(request, org_name: str, app_name: str, **kwargs):
        # The call's usage (status class, messages, active users) is written once, after the answer is built:
        # one Redis round trip (apps.im.metering). A call to an unknown app is not metered: no app to bill.
        batch, token = metering.open_batch()
        try:
            response = answer(request, batch, org_name, app_name, **kwargs)
        finally:
            metering.close_batch(token)
        batch.status = response.status_code
        metering.flush(batch)
        return response

    dispatch.rest_methods = tuple(methods)  # the REST walker (tests/quality) calls each of them
    return dispatch


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other path under the REST base: Easemob's envelope, never an HTML page."""
    return error_response(ImError("Service resource not found", status=404, error="service_resource_not_found",
                                  exception="ServiceResourceNotFoundException"))
