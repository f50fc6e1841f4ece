import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings.local")
application = get_wsgi_application()


def _load_and_freeze() -> int:
    """Load what every worker keeps for its whole life (the view modules, through the URL tree; both languages'
    catalogs; the console's compiled templates), then move it out of the garbage collector's reach (issue 14).

    A worker holds ~150,000 such objects, and every full collection walked all of them: a ~95 ms pause in the
    middle of some request every few hundred requests, which is what a page's p99 showed. Frozen, a collection
    walks only what requests created (pauses under 10 ms, measured over every bench/page_cpu.py page). Returns
    the number of templates compiled."""
    from pathlib import Path

    from django.conf import settings
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 -- evaluated for the imports it makes
    for code, _name in settings.LANGUAGES:
        translation.trans_real.translation(code)
    compiled = 0
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.html")) + sorted(Path(directory).rglob("*.txt")):
            try:
                get_template(str(path.relative_to(directory)))
                compiled += 1
            except (TemplateDoesNotExist, TemplateSyntaxError):  # a fragment for another engine: not ours to load
                continue
    gc.collect()
    gc.freeze()
    return compiled


_load_and_freeze()
