"""The portal's addresses (Vietnamese words people can read in the address bar)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import include, path, re_path
from django.views.static import serve

from . import views_auth, views_officer, views_school

app_name = "portal"  # the namespace of every page


def home(request):
    return redirect("portal:dashboard" if request.user.is_authenticated else "portal:login")


TOKEN = "<str:token>"
patterns = [
    path("", home, name="home"),
    path("dang-nhap/", views_auth.login_view, name="login"),
    path("dang-xuat/", views_auth.logout_view, name="logout"),
    path("doi-mat-khau/", views_auth.password_change, name="password_change"),
    path("co-quan/", views_officer.dashboard, name="dashboard"),
    path("danh-sach/", views_officer.schools_view, name="schools"),
    path("dot/mo/", views_officer.open_round, name="open_round"),
    path("dot/<int:round_id>/", views_officer.round_view, name="round"),
    path("dot/<int:round_id>/dong-mo/", views_officer.round_toggle, name="round_toggle"),
    path("dot/<int:round_id>/tai/<str:what>", views_officer.round_download, name="round_download"),
    path(
        "dot/<int:round_id>/truong/<int:school_id>/",
        views_officer.submission_view,
        name="submission",
    ),
    path(
        "dot/<int:round_id>/truong/<int:school_id>/xu-ly/",
        views_officer.submission_action,
        name="submission_action",
    ),
    path(
        "dot/<int:round_id>/truong/<int:school_id>/ban/<int:version_id>/",
        views_officer.version_file,
        name="version_file",
    ),
    path("lien-ket/", views_officer.links_view, name="links"),
    path("lien-ket/tao/", views_officer.links_create, name="links_create"),
    path("lien-ket/excel/", views_officer.links_excel, name="links_excel"),
    path("truong/<int:school_id>/mau.xlsx", views_officer.template_download, name="template"),
    path("nhat-ky/", views_officer.audit_view, name="audit"),
    path("can-bo/", views_officer.officers_view, name="officers"),
    path(f"s/{TOKEN}/", views_school.school_home, name="school"),
    path(f"s/{TOKEN}/dot/<int:round_id>/", views_school.school_round, name="school_round"),
    path(
        f"s/{TOKEN}/dot/<int:round_id>/tai-len/", views_school.school_upload, name="school_upload"
    ),
    path(f"s/{TOKEN}/dot/<int:round_id>/nop/", views_school.school_hand_in, name="school_hand_in"),
    path(f"s/{TOKEN}/dot/<int:round_id>/mo-lai/", views_school.school_reopen, name="school_reopen"),
    path(
        f"s/{TOKEN}/dot/<int:round_id>/mau.xlsx",
        views_school.school_template,
        name="school_template",
    ),
    path(
        f"s/{TOKEN}/dot/<int:round_id>/ban/<int:version_id>/<str:kind>",
        views_school.school_version_file,
        name="school_version_file",
    ),
    re_path(
        r"^static/portal/(?P<path>[\w-][\w.-]*)$",
        serve,
        {"document_root": settings.SHEETKIT_STATIC},
        name="static",
    ),
]

# The root URLconf: the pages under the "portal" namespace (reverse("portal:login")).
urlpatterns = [path("", include((patterns, app_name)))]
