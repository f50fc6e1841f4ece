"""The project's URLs plus the trivial view the REST benchmark compares against (bench/rest.py only)."""

from django.http import HttpResponse
from django.urls import path

from console.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse(b'{"ok":true}', content_type="application/json")


urlpatterns = [path("bench/trivial", trivial), *project_urlpatterns]
