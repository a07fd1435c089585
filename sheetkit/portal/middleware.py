"""Security headers on every answer, the upload size before the body is read, forced password change."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse

from .storage import max_upload, too_large_message

# No inline script or style anywhere: the pages use /static/portal/ files only.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith("/s/"):  # a school's private link: never cached
            # "same-origin" (not "no-referrer"): the link never leaves for another site, and the
            # school's own form posts keep their Origin, which Django's CSRF check needs (under
            # no-referrer browsers send "Origin: null" and every upload was refused).
            response["Cache-Control"] = "no-store"
            response["Referrer-Policy"] = "same-origin"
        return response


class UploadLimitMiddleware:
    """A request announcing a body over the limit is answered before any of it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.method == "POST" and length > max_upload() + 64 * 1024:
            return render(
                request,
                "portal/message.html",
                {"title": "Tệp quá lớn", "message": too_large_message()},
                status=413,
            )
        return self.get_response(request)


class PasswordChangeMiddleware:
    """An officer with a one-time password changes it before anything else."""

    ALLOWED = ("portal:password_change", "portal:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            officer = getattr(user, "officer", None)
            if officer is not None and officer.must_change_password:
                allowed = {reverse(name) for name in self.ALLOWED}
                if request.path not in allowed and not request.path.startswith("/static/"):
                    return redirect("portal:password_change")
        return self.get_response(request)
