from django.urls import path

from apps.im import groups_views as group_views
from apps.im import users_views as views

base = "apps/<slug:app_name>/im-users/"

urlpatterns = [
    path(base, views.user_list, name="users"),
    path(base + "create/", views.user_create, name="user_create"),
    path(base + "test-message/", views.test_message, name="test_message"),
    path(base + "<str:username>/ban/", views.user_ban, name="user_ban"),
    path(base + "<str:username>/unban/", views.user_unban, name="user_unban"),
    path(base + "<str:username>/logout/", views.user_logout, name="user_logout"),
    path(base + "<str:username>/password/", views.user_password, name="user_password"),
    path(base + "<str:username>/delete/", views.user_delete, name="user_delete"),
    path(base + "<str:username>/token/", views.user_token, name="user_token"),
]

groups = "apps/<slug:app_name>/im-groups/"

urlpatterns += [
    path(groups, group_views.group_list, name="groups"),
    path(groups + "<str:group_id>/", group_views.group_detail, name="group_detail"),
    path(groups + "<str:group_id>/delete/", group_views.group_delete, name="group_delete"),
    path(groups + "<str:group_id>/members/<str:username>/remove/", group_views.group_member_remove,
         name="group_member_remove"),
]
