"""The base of every domain error: a rule of the product said no, and nothing was written.

Services raise subclasses; views turn them into a form error or a message, and the REST service into its
error envelope. ``message`` is for people (in the reader's language); ``code`` is stable for programs;
``http_status`` is what a request that met it answers when no view handles it more specifically.
"""


class DomainError(Exception):
    http_status = 400
    code = "domain_error"

    def __init__(self, message: str = "", *, code: str | None = None):
        self.message = message or self.__class__.__doc__ or self.__class__.__name__
        if code:
            self.code = code
        super().__init__(self.message)


def show_domain_error(request, error: DomainError, *, form=None, field: str | None = None) -> None:
    """The one way a view shows a refusal it catches: as an error of ``form`` (on ``field``, or on the whole
    form) when the view renders the form again, otherwise as an error message on the page it redirects to.
    A DomainError no view catches is the middleware's (console.middleware): a page with ``http_status``."""
    if form is not None:
        form.add_error(field, error.message)
    else:
        from django.contrib import messages

        messages.error(request, error.message)
