from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.plans.selectors import plan_comparison


@require_GET
def plan_compare(request):
    """The public Plans page: every plan side by side, built from the catalog."""
    plans, rows, addons = plan_comparison()
    return render(request, "plans/plan_compare.html", {"plans": plans, "rows": rows, "addons": addons})
