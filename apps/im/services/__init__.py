"""Writes (and the token checks) of the IM REST service, one module per resource. The REST views call these and
nothing else; they raise apps.im.errors.ImError subclasses, which carry Easemob's error code and HTTP status."""
