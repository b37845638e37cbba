from django.conf import settings


def client_ip(request) -> str:
    """The visitor's address: the one our own TLS proxy appended to X-Forwarded-For, else REMOTE_ADDR.

    Only the right-most X-Forwarded-For entry is trusted (it is written by our proxy); anything to
    its left was sent by the client and could be forged to dodge a rate limit or a lockout.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]
