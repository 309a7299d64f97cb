"""Password sign-in against ``core.Account`` (argon2 hashes)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from harbour.core.models import Account


class AccountBackend(BaseBackend):
    def authenticate(
        self, request: HttpRequest | None, email: str | None = None, password: str | None = None, **_: Any
    ) -> Account | None:
        if not email or not password:
            return None
        account = Account.objects.filter(email=email.strip().lower()).first()
        if account is None:
            Account().set_password(password)  # spend the same time as a real check
            return None
        if not account.is_active or not account.check_password(password):
            return None
        return account

    def get_user(self, user_id: Any) -> Account | None:
        return Account.objects.filter(pk=user_id, is_active=True).first()
