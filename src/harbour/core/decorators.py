"""Console view guards."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

R = TypeVar("R", bound=HttpResponseBase)


def member_required(view: Callable[..., R]) -> Callable[..., R | HttpResponse]:
    """The page needs a signed-in account working in a company (operators without one go to Companies)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> R | HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "actor", None) is None:
            if getattr(request.user, "is_operator", False):
                return redirect("directory:tenants")
            return redirect("identity:logout")
        return view(request, *args, **kwargs)

    return wrapper
