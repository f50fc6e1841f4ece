"""Easemob's error envelope and the errors of the REST service (error.md of easemob-doc: HTTP code, ``error``,
``error_description``). Services raise ImError; the REST layer turns it into the JSON envelope."""

import time

from django.http import JsonResponse


class ImError(Exception):
    status = 400
    error = "illegal_argument"
    exception = "IllegalArgumentException"

    def __init__(self, description: str, *, status: int | None = None, error: str | None = None,
                 exception: str | None = None, headers: dict | None = None) -> None:
        super().__init__(description)
        self.description = description
        self.status = status or self.status
        self.error = error or self.error
        self.exception = exception or self.exception
        self.headers = headers or {}


class IllegalArgument(ImError):
    pass


class Unauthorized(ImError):
    status = 401
    error = "unauthorized"
    exception = "UnauthorizedException"


class BadAccessToken(ImError):
    status = 401
    error = "auth_bad_access_token"
    exception = "UnauthorizedException"


class InvalidGrant(ImError):
    error = "invalid_grant"
    exception = "InvalidGrantException"


class ForbiddenOp(ImError):
    status = 403
    error = "forbidden_op"
    exception = "ForbiddenOpException"


class NotFound(ImError):
    status = 404
    error = "service_resource_not_found"
    exception = "ServiceResourceNotFoundException"


class AppNotFound(ImError):
    status = 404
    error = "organization_application_not_found"
    exception = "OrganizationApplicationNotFoundException"


class DuplicateUsername(ImError):
    error = "duplicate_unique_property_exists"
    exception = "DuplicateUniquePropertyExistsException"


class ResourceLimited(ImError):
    status = 429
    error = "resource_limited"
    exception = "ResourceLimitedException"


class ReachLimit(ImError):
    status = 429
    error = "reach_limit"
    exception = "ReachLimitException"


class TooLarge(ImError):
    status = 413
    error = "request_entity_too_large"
    exception = "RequestEntityTooLargeException"


def error_response(error: ImError, *, started: float | None = None) -> JsonResponse:
    now_ms = int(time.time() * 1000)
    duration = int((time.monotonic() - started) * 1000) if started is not None else 0
    response = JsonResponse(
        {
            "error": error.error,
            "exception": error.exception,
            "timestamp": now_ms,
            "duration": duration,
            "error_description": error.description,
        },
        status=error.status,
    )
    for name, value in error.headers.items():
        response[name] = value
    return response
