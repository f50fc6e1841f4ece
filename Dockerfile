# One image for web, worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=console.settings.production
WORKDIR /srv/console
COPY pyproject.toml ./
RUN python - <<'PY' > /tmp/requirements.txt && pip install --no-cache-dir -r /tmp/requirements.txt
import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))
PY
COPY . .
RUN DJANGO_SECRET_KEY=build-only FIELD_ENCRYPTION_KEYS=Vs6pbXWd3m1Yy4nbkqj0o6mBqqyqkT9m8S7YJr9Lxv0= \
    python manage.py collectstatic --no-input \
 && useradd --system --uid 1000 console && mkdir -p var && chown -R console var
USER console
EXPOSE 8000
CMD ["gunicorn", "console.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
