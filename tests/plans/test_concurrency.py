"""Two requests cannot both take the last seat or the last minutes: real threads, real connections."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from harbour.core import entitlements
from harbour.core.entitlements import Quota
from harbour.core.errors import QuotaExceeded
from harbour.core.models import Tenant
from harbour.directory import actions
from harbour.directory.models import Member, MemberState
from tests.factories import make_company, subscribe


def _race(workers: list[Callable[[], None]]) -> list[str]:
    """Start the workers together; each reports "ok" or the error class it met."""
    results: list[str] = []
    barrier = threading.Barrier(len(workers))
    lock = threading.Lock()

    def run(work: Callable[[], None]) -> None:
        try:
            barrier.wait()
            work()
            outcome = "ok"
        except QuotaExceeded:
            outcome = "quota"
        except Exception as exc:  # reported, so a crash fails the assertion with its name
            outcome = type(exc).__name__
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_two_invitations_cannot_both_take_the_last_seat() -> None:
    company = make_company("racers", domains=["racers.hk"])
    taken = Member.objects.for_tenant(company.tenant).exclude(state=MemberState.DEACTIVATED).count()
    subscribe(company.tenant, "basic", seats=taken + 1)

    def invite(n: int) -> Callable[[], None]:
        def work() -> None:
            actions.invite_member(
                company.system, actions.MemberSpec(email=f"r{n}@racers.hk", name=f"Racer {n}")
            )

        return work

    assert _race([invite(1), invite(2), invite(3)]) == ["ok", "quota", "quota"]
    assert (
        Member.objects.for_tenant(company.tenant).exclude(state=MemberState.DEACTIVATED).count() == taken + 1
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_minutes_never_overdraw_the_month() -> None:
    company = make_company("talkers", domains=["talkers.hk"])
    subscribe(company.tenant, "free")

    def take() -> None:
        entitlements.consume(Tenant.objects.get(pk=company.tenant.pk), Quota.MEETING_MINUTES, 300)

    outcomes = _race([take for _ in range(5)])
    assert outcomes.count("ok") == 3 and outcomes.count("quota") == 2
    assert entitlements.used(Tenant.objects.get(pk=company.tenant.pk), Quota.MEETING_MINUTES) == 900
