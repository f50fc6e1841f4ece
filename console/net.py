def client_ip(request) -> str:
    return request.META["REMOTE_ADDR"]
