"""The send path's hooks built on branch ``imx`` (apps/im/presend.py, postsend.py, ratelimit.py).

Until that branch is merged the service runs without them: every message passes the pre-send step, nothing is
delivered after it, and no rate is enforced. Merging ``imx`` makes these names the real functions."""

from dataclasses import dataclass

try:
    from apps.im.presend import presend_verdict
except ImportError:  # imx not merged yet

    @dataclass(frozen=True)
    class _Passed:
        allowed: bool = True
        reason: str = ""

    def presend_verdict(*, app, message):
        return _Passed()


try:
    from apps.im.postsend import schedule_postsend
except ImportError:  # imx not merged yet

    def schedule_postsend(*, app, message) -> None:
        return None


try:
    from apps.im.ratelimit import check_rate
except ImportError:  # imx not merged yet

    @dataclass(frozen=True)
    class _Allowed:
        allowed: bool = True
        retry_after: int = 0

    def check_rate(*, app_id, limit):
        return _Allowed()


__all__ = ["check_rate", "presend_verdict", "schedule_postsend"]
