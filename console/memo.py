"""Per-process memos of values that are a pure function of their key (the left navigation and its markup):
plain dicts, cleared when full, so that keys with ids in them (a rule's edit page) cannot grow one without bound."""

MEMO_SIZE = 4096


def remember(memo: dict, key, value):
    """Store ``value`` under ``key`` (clearing a full memo first) and return it."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value
