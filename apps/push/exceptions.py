class DuplicateCertificate(Exception):
    """The app already has a certificate of this vendor with this name."""

    def __init__(self, vendor: str, name: str):
        super().__init__(f"{vendor} certificate {name!r} already exists")
        self.vendor = vendor
        self.name = name
