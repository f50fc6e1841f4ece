"""The REST service's URL tree, mounted at /rest/ (SPEC §11): Easemob's paths below {org_name}/{app_name}/."""

from django.urls import path, re_path

from apps.im import views
from apps.im.rest import APP_OR_SELF, APP_TOKEN, NO_TOKEN, OPEN_REGISTRATION, not_found, route

app_name = "im"

APP = "<slug:org_name>/<slug:app_name>/"
USER = "<str:username>"
GROUP = "<str:group_id>"

urlpatterns = [
    path(APP + "token", route("/token", POST=(views.token, NO_TOKEN)), name="token"),
    path(APP + "users", route("/users", POST=(views.users_register, OPEN_REGISTRATION),
                              GET=(views.users_list, APP_TOKEN)), name="users"),
    path(APP + f"users/{USER}", route("/users", GET=(views.user_get, APP_OR_SELF),
                                      DELETE=(views.user_delete, APP_TOKEN)), name="user"),
    path(APP + f"users/{USER}/password", route("/users", PUT=(views.user_password, APP_TOKEN)),
         name="user_password"),
    path(APP + f"users/{USER}/deactivate", route("/users", POST=(views.user_deactivate, APP_TOKEN)),
         name="user_deactivate"),
    path(APP + f"users/{USER}/activate", route("/users", POST=(views.user_activate, APP_TOKEN)),
         name="user_activate"),
    path(APP + f"users/{USER}/disconnect", route("/users", GET=(views.user_disconnect, APP_TOKEN)),
         name="user_disconnect"),
    path(APP + f"users/{USER}/joined_chatgroups", route("/users", GET=(views.user_joined_groups, APP_TOKEN)),
         name="user_joined_groups"),
    path(APP + "chatgroups", route("/chatgroups", POST=(views.group_create, APP_TOKEN)), name="groups"),
    path(APP + f"chatgroups/{GROUP}", route("/chatgroups", GET=(views.group_get, APP_TOKEN),
                                            DELETE=(views.group_delete, APP_TOKEN)), name="group"),
    path(APP + f"chatgroups/{GROUP}/users", route("/chatgroups", GET=(views.group_members, APP_TOKEN),
                                                  POST=(views.group_members_add, APP_TOKEN)),
         name="group_members"),
    path(APP + f"chatgroups/{GROUP}/users/{USER}",
         route("/chatgroups", POST=(views.group_member_add, APP_TOKEN),
               DELETE=(views.group_member_remove, APP_TOKEN)), name="group_member"),
    path(APP + "messages/users", route("/messages/users", POST=(views.messages_users, APP_TOKEN)),
         name="messages_users"),
    path(APP + "messages/chatgroups", route("/messages/chatgroups", POST=(views.messages_groups, APP_TOKEN)),
         name="messages_groups"),
    path(APP + "messages/msg_recall", route("/messages/msg_recall", POST=(views.message_recall, APP_TOKEN)),
         name="message_recall"),
    re_path(r"^.*$", not_found, name="not_found"),
]
