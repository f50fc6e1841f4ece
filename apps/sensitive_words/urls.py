"""Included by apps/features/urls.py inside the "features" namespace (the overview links settings_<code>)."""

from django.urls import path

from apps.sensitive_words import views

urlpatterns = [
    path("apps/<slug:app_name>/features/sensitive_words/", views.settings_sensitive_words,
         name="settings_sensitive_words"),
    path("apps/<slug:app_name>/features/sensitive_words/add/", views.words_add, name="sensitive_words_add"),
    path("apps/<slug:app_name>/features/sensitive_words/import/", views.words_import,
         name="sensitive_words_import"),
    path("apps/<slug:app_name>/features/sensitive_words/delete/", views.words_delete,
         name="sensitive_words_delete"),
    path("apps/<slug:app_name>/features/sensitive_words/test/", views.words_test, name="sensitive_words_test"),
]
