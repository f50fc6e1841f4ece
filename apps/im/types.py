"""Value types shared by the IM REST send path and its pre-send / post-send hooks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutgoingMessage:
    """A message accepted by the REST send endpoint, as the hooks see it.

    `to` holds user names for `chat_type == "chat"` and group ids for `"groupchat"`.
    """

    msg_id: str
    from_user: str
    to: tuple[str, ...]
    chat_type: str  # "chat" | "groupchat"
    msg_type: str  # "txt" | "custom"
    body: dict
    ext: dict | None
    timestamp_ms: int
    group_id: str | None = None
