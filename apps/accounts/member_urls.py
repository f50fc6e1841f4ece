from django.urls import path

from apps.accounts import security_views, views

app_name = "members"

urlpatterns = [
    path("members/", views.member_list_view, name="member_list"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/two-factor/", security_views.two_factor_policy, name="two_factor_policy"),
    path("members/<int:membership_id>/role/", views.member_change_role, name="member_change_role"),
    path("members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("members/invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]
