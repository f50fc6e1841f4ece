from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """The server's own limit: the whole middleware stack, no database, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("console.urls")),
]
