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
