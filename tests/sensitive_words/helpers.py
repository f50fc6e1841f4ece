from apps.sensitive_words.models import SensitiveWord, word_key


def page_url(app, suffix: str = "") -> str:
    return f"/o/{app.organization.name}/apps/{app.name}/features/sensitive_words/{suffix}"


def make_words(app, count: int, prefix: str = "word") -> list[SensitiveWord]:
    """A quick list straight into the table (the services are tested on their own)."""
    return SensitiveWord.objects.bulk_create(
        [SensitiveWord(app=app, word=f"{prefix}{i:05d}", key=word_key(f"{prefix}{i:05d}")) for i in range(count)],
        batch_size=1000,
    )
