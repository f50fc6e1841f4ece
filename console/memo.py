"""Per-process memos of values that are a pure function of their key (the left navigation and its markup, the top
bar's, ``{% remembered %}`` fragments, the usage charts):
plain dicts, cleared when full, so that keys with ids in them (a rule's edit page) cannot grow one without bound."""

MEMO_SIZE = 4096


def remember(memo: dict, key, value, *, size: int = MEMO_SIZE):
    """Store ``value`` under ``key`` (clearing a memo of ``size`` entries first) and return it."""
    if len(memo) >= size:
        memo.clear()
    memo[key] = value
    return value
