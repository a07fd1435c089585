"""Officers sign in and out, change their password; CSRF failures explained."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import access, workflow


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    error = ""
    status = 200
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        password = request.POST.get("password", "")
        address = access.client_address(request)
        if access.login_blocked(username, address):
            error = (
                "Đã đăng nhập sai nhiều lần. Hãy đợi 15 phút rồi thử lại, hoặc nhờ cán bộ quản "
                "trị đặt lại mật khẩu."
            )
            status = 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is not None and hasattr(user, "officer"):
                login(request, user)
                workflow.log(
                    workflow.officer_actor(user), "Đăng nhập", user=user, body=user.officer.body
                )
                return redirect("portal:dashboard")
            access.login_failed(username, address)
            error = "Tên đăng nhập hoặc mật khẩu chưa đúng. Hãy gõ lại (chú ý chữ hoa, chữ thường)."
            status = 401
    return render(
        request, "portal/login.html", {"error": error, "username": username}, status=status
    )


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:login")


@require_http_methods(["GET", "POST"])
def password_change(request):
    if not request.user.is_authenticated:
        return redirect("portal:login")
    officer = getattr(request.user, "officer", None)
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        if officer is not None:
            officer.must_change_password = False
            officer.save()
        workflow.log(
            workflow.officer_actor(user),
            "Đổi mật khẩu",
            user=user,
            body=officer.body if officer else None,
        )
        return redirect("portal:dashboard")
    forced = officer is not None and officer.must_change_password
    return render(request, "portal/password_change.html", {"form": form, "forced": forced})


def csrf_failure(request, reason: str = ""):
    return render(
        request,
        "portal/message.html",
        {
            "title": "Phiên làm việc đã hết hạn",
            "message": "Trang này đã mở quá lâu hoặc trình duyệt chặn cookie. Hãy tải lại trang "
            "(F5) rồi làm lại thao tác.",
        },
        status=403,
    )
