"""Demo data for the README's REST walkthrough on chat-prod (runs after the features demo): this computer
(127.0.0.1) is on the REST IP whitelist, so curl works until the walkthrough removes it; the sensitive word
filter replaces words with *** (the walkthrough shows a replaced message). chat-prod also gets IM users, groups,
stored messages and 30 days of usage, so its IM and usage pages look lived-in. Idempotent."""

import datetime as dt
import os
import random

from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.roles import Role
from apps.im.gate import feature_applies
from apps.im.models import ImGroup, ImMessage, ImUser, UsageDay
from apps.im.services.groups import group_create
from apps.im.services.messages import new_msg_id
from apps.im.services.usage import org_usage_rollup
from apps.im.services.users import users_register
from apps.ipwhitelist.services import whitelist_entries_add
from apps.sensitive_words.models import SensitiveWordSettings
from apps.sensitive_words.services import sensitive_word_settings_update
from console.timeutil import business_date, business_now

WALKTHROUGH_APP = "chat-prod"
LOCAL_ADDRESS = "127.0.0.1"


def notes(organization) -> list[str]:
    """What seed_demo prints for the README's REST walkthrough: chat-prod's REST base and credentials."""
    app = organization.apps.filter(name=WALKTHROUGH_APP).select_related("organization").first()
    if app is None:
        return []
    return [
        f"IM REST API of {app.app_key} (base http://{os.environ.get('CONSOLE_ADDR') or '127.0.0.1:8000'}/rest/):",
        f"  ORG_NAME={app.organization.name} APP_NAME={app.name}",
        f"  CLIENT_ID={app.client_id}",
        f"  CLIENT_SECRET={app.client_secret}",
    ]


def seed(organization):
    """Prepare chat-prod for the walkthrough; returns it (None when the demo org has no chat-prod)."""
    app = organization.apps.filter(name=WALKTHROUGH_APP).select_related("organization").first()
    if app is None:
        return None
    owner = Membership.objects.filter(organization=organization, role=Role.OWNER).select_related("user").first().user
    if feature_applies(app=app, code="ip_whitelist") and not app.ip_whitelist_entries.filter(
        network=LOCAL_ADDRESS
    ).exists():
        whitelist_entries_add(app=app, actor=owner, entries=[LOCAL_ADDRESS], note="This computer (REST walkthrough)")
    if not SensitiveWordSettings.objects.filter(app=app, action=SensitiveWordSettings.Action.REPLACE).exists():
        sensitive_word_settings_update(app=app, actor=owner, enabled=True,
                                       action=SensitiveWordSettings.Action.REPLACE, ignore_case=True)
    _seed_im_users(app)
    _seed_usage(app)
    return app


DEMO_USERS = [
    "lilei", "hanmeimei", "zhangwei", "wangfang", "liuyang", "chenjing", "yangli", "zhaolei", "huangmin", "zhoujie",
    "wuhao", "xuli", "sunqiang", "maning", "zhuyan", "huxin", "guotao", "heping", "linfeng", "luoyi",
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
    "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yvonne",
]
DEMO_GROUPS = [  # name, owner, number of members after the owner (the first users of the list)
    ("All hands", "lilei", 39), ("Product team", "hanmeimei", 11), ("Beta testers", "alice", 24),
    ("Customer support", "wangfang", 7), ("Weekend hiking", "bob", 5),
]
DEMO_LINES = ["Morning! Stand-up in 5 minutes.", "The new build is on the test server.", "Who is reviewing #482?",
              "Lunch at the usual place?", "Release notes are in the shared folder.", "Thanks, looks good to me.",
              "Can you check the push certificate?", "Meeting moved to 3 pm.", "好的，收到。", "明天见！"]


def _seed_im_users(app) -> None:
    """40 IM users, five groups with members and a day's worth of stored messages, through the REST services
    (users and groups); messages are written directly, as delivered, without callbacks."""
    if ImUser.objects.filter(app=app, username=DEMO_USERS[0]).exists():
        return
    users_register(app=app, entries=[{"username": name, "password": f"{name}-demo-2026",
                                      "nickname": name.title()} for name in DEMO_USERS])
    for name, owner, count in DEMO_GROUPS:
        members = [u for u in DEMO_USERS if u != owner][:count]
        group_create(app=app, data={"groupname": name, "description": "", "public": True, "maxusers": 200,
                                    "owner": owner, "members": members})
    rng = random.Random(16)
    now = timezone.now()
    groups = list(ImGroup.objects.filter(app=app).values_list("group_id", flat=True))
    rows = []
    for i in range(120):
        sender = rng.choice(DEMO_USERS)
        in_group = i % 3 == 0
        rows.append(ImMessage(
            app=app, msg_id=new_msg_id(), from_user=sender,
            to=rng.choice(groups) if in_group else rng.choice([u for u in DEMO_USERS if u != sender]),
            chat_type=ImMessage.ChatType.GROUPCHAT if in_group else ImMessage.ChatType.CHAT, msg_type="txt",
            body={"msg": rng.choice(DEMO_LINES)}, sent_at=now - dt.timedelta(minutes=12 * (120 - i)),
        ))
    ImMessage.objects.bulk_create(rows)


def _seed_usage(app, *, days: int = 30) -> None:
    """30 business days of usage as the metering would have rolled them up: weekdays busier than weekends,
    slow growth, a few days with rate-limited calls (429) when a batch job hit the 100 calls/s limit; today is
    counted up to now. Days already present (metered for real) are kept; the organization's rows of those days
    are summed as the roll-up does."""
    rng = random.Random(30)
    now = business_now()
    today = business_date()
    day_fraction = (now.hour * 60 + now.minute) / (24 * 60)
    rows = []
    for back in range(days - 1, -1, -1):
        day = today - dt.timedelta(days=back)
        weekend = day.weekday() >= 5
        growth = 1 + (days - back) / 60
        scale = (0.55 if weekend else 1.0) * growth * rng.uniform(0.85, 1.15)
        if back == 0:
            scale *= max(day_fraction, 0.05)
        burst = back in (4, 11, 19)  # the nightly batch import ran into the limit
        calls = int(3200 * scale)
        dau = min(len(DEMO_USERS), int((22 if weekend else 34) * rng.uniform(0.9, 1.1) * min(1, scale + 0.3)))
        rows.append(UsageDay(
            app=app, day=day, calls_2xx=calls, calls_4xx=int(calls * rng.uniform(0.01, 0.03)),
            calls_429=rng.randint(40, 180) if burst else 0, calls_5xx=rng.choice((0, 0, 0, 1, 2)),
            messages=int(850 * scale), active_users=dau,
            peak_calls_per_second=100 if burst else rng.randint(9, 38),
            registered_users=min(len(DEMO_USERS), 28 + (days - back) * 12 // days),
        ))
    UsageDay.objects.bulk_create(rows, ignore_conflicts=True)
    org_usage_rollup(days=[row.day for row in rows])  # the organization page's sums, as the roll-up writes them
