"""Console view guards."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page needs a signed-in account working in a company (operators without one go to Companies)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "actor", None) is None:
            if getattr(request.user, "is_operator", False):
                return redirect("directory:tenants")
            return redirect("identity:logout")
        return view(request, *args, **kwargs)

    return wrapper
