from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from apps.accounts.forms import LoginForm
from apps.accounts.selectors import current_membership


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def no_organization(request):
    """A user whose every membership was removed: nothing to show but a way out."""
    if current_membership(request) is not None:
        return redirect("home")
    return render(request, "accounts/no_organization.html")
