"""A WSGI worker starts with its views, both languages and every console template loaded, and frozen out of the
garbage collector's reach (console.wsgi; issue 14)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "console.settings.test"
import console.wsgi
from django.utils.translation import trans_real
print(gc.get_freeze_count(), len(gc.get_objects()), sorted(trans_real._translations))
"""


def test_a_worker_loads_the_console_then_freezes_it():
    answer = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stderr[-2000:]
    frozen, tracked, languages = answer.stdout.strip().split(" ", 2)
    assert int(frozen) > 50_000  # modules, classes, catalogs, templates
    assert int(tracked) < 1_000  # nothing left for a collection to walk at the start
    assert "zh-hans" in languages and "en" in languages


def test_every_console_template_compiles():
    from console.wsgi import _load_and_freeze

    templates = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "templates").rglob("*.txt")]
    assert _load_and_freeze() == len(templates)
