from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from apps.accounts import security_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("security/", security_views.security, name="security"),
    path("security/sessions/<int:pk>/sign-out/", security_views.session_sign_out, name="session_sign_out"),
    path("security/sessions/sign-out-others/", security_views.sessions_sign_out_others,
         name="sessions_sign_out_others"),
    path("security/two-factor/", security_views.two_factor_enrol, name="two_factor_enrol"),
    path("security/two-factor/off/", security_views.two_factor_disable, name="two_factor_disable"),
    path("security/two-factor/recovery-codes/", security_views.recovery_codes_regenerate,
         name="recovery_codes_regenerate"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("confirm/", views.reauth_view, name="reauth"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("no-organization/", views.no_organization, name="no_organization"),
]
