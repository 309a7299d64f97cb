"""Sign-in throughput and single sign-on callback latency, in process.

- Password sign-ins per second through the real login path (Django's test client posting the login form:
  every middleware, the lockout check, argon2 verification, the company's sign-in gate, the listed session,
  the audit event, the risk rules) vs the ceiling: raw argon2 verifications per second of the same hash
  with the same parameters, on the same machine, in the same run. Target: ≥ 80 % of that ceiling.
- SSO callback handling: the time Harbour takes to answer the OpenID Connect callback (the code exchanged
  at the provider's token endpoint over HTTP, the ID token's signature checked against the provider's keys,
  the person matched, the sign-in gate passed) against the test provider on loopback. Reported p50/p95
  (target p95 < 250 ms), beside the provider's own token-endpoint round trip as the baseline.

Full size: 400 sign-ins and 60 SSO callbacks; ``--quick``: 16 and 8. Runs on SQLite and, when reachable,
PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import (
    DEFAULT_PG,
    child_setup,
    figure,
    info,
    percentile,
    report,
    run_on_each_database,
)

PASSWORD = "correct horse battery staple"


def _company(members: int) -> Any:
    from harbour.core.models import Account
    from harbour.core.permissions import SystemActor
    from harbour.core.time import now
    from harbour.directory import actions
    from harbour.directory.models import Member
    from harbour.plans.actions import change_subscription
    from harbour.plans.queries import get_plan
    from harbour.security.models import SecuritySettings, TenantDomain

    tenant = actions.create_tenant(
        None, slug="signin", display_name="Sign-in Ltd", email_domains=["signin.hk"]
    )
    system = SystemActor(tenant.id, "bench")
    change_subscription(system, get_plan("professional"), members * 2, "annual")
    TenantDomain.objects.create(tenant_id=tenant.pk, name="signin.hk", verified_at=now(), method="override")
    # Working hours around the clock: a bench run at night measures the sign-in, not a risk event per login.
    SecuritySettings.objects.create(
        tenant_id=tenant.pk,
        domain_binding=True,
        working_days=[0, 1, 2, 3, 4, 5, 6],
        working_hours_start=dt.time(0, 0),
        working_hours_end=dt.time(23, 59, 59),
    )
    actions.bulk_create_members(
        system,
        [
            actions.MemberSpec(email=f"p{n}@signin.hk", name=f"Person {n}", state="active")
            for n in range(members)
        ],
    )
    one = Account(email="template@signin.hk")
    one.set_password(PASSWORD)  # one argon2 hash, shared: hashing each account would only slow the set-up
    for member in Member.objects.for_tenant(tenant):
        account = Account.objects.create(email=member.email, password=one.password)
        member.account = account
        member.save(update_fields=["account"])
    return tenant, system, one.password


def _password_logins(count: int, encoded: str) -> dict[str, float]:
    from django.contrib.auth.hashers import check_password
    from django.test import Client

    check_password(PASSWORD, encoded)  # warm
    start = time.perf_counter()
    for _ in range(count):
        assert check_password(PASSWORD, encoded)
    raw_seconds = time.perf_counter() - start

    for n in range(count, count + 3):  # warm up: the first requests load templates and URL maps
        Client().post("/login/", {"email": f"p{n}@signin.hk", "password": PASSWORD})
    samples = []
    for n in range(count):
        client = Client(REMOTE_ADDR=f"10.1.{n // 250}.{n % 250 + 1}")
        begin = time.perf_counter()
        response = client.post("/login/", {"email": f"p{n}@signin.hk", "password": PASSWORD})
        samples.append(time.perf_counter() - begin)
        assert response.status_code == 302, response.content[:300]
    login_seconds = sum(samples)
    return {
        "raw_per_s": count / raw_seconds,
        "login_per_s": count / login_seconds,
        "raw_ms": raw_seconds / count * 1000,
        "login_p50_ms": percentile(samples, 50) * 1000,
        "login_p95_ms": percentile(samples, 95) * 1000,
    }


def _sso_callbacks(tenant: Any, system: Any, count: int) -> dict[str, float]:
    import httpx
    from django.test import Client
    from tests.identity.sso.helpers import provider_url
    from tests.idp.fixtures import sign_in_at_idp, start_oidc_provider

    from harbour.identity.sso import actions
    from harbour.identity.sso.queries import registration_of

    samples, token_round_trips = [], []
    with start_oidc_provider() as provider:
        connection = actions.create_connection(
            system,
            name="Bench IdP",
            protocol="oidc",
            values={
                "issuer": provider.issuer,
                "client_id": provider.client_id,
                "client_secret": provider.client_secret,
            },
        )
        provider.allow_redirect(registration_of(connection, "http://testserver/").redirect_uri)
        for n in range(count):
            provider.add_user(f"p{n}@signin.hk", "idp-password", f"Person {n}")
        with httpx.Client(trust_env=False, timeout=15) as http:
            for n in range(count):
                client = Client()
                start = client.post("/login/sso/", {"email": f"p{n}@signin.hk"})
                browser = httpx.Client(trust_env=False, timeout=15)
                back = sign_in_at_idp(browser, provider_url(start), f"p{n}@signin.hk", "idp-password")
                browser.close()
                begin = time.perf_counter()
                response = back.send(client)
                samples.append(time.perf_counter() - begin)
                assert response.status_code == 302 and response["Location"] == "/", response.content[:300]
                # the provider's own cost of one request Harbour makes: its discovery document
                begin = time.perf_counter()
                http.get(provider.discovery_url).raise_for_status()
                token_round_trips.append(time.perf_counter() - begin)
    return {
        "sso_p50_ms": percentile(samples, 50) * 1000,
        "sso_p95_ms": percentile(samples, 95) * 1000,
        "idp_round_trip_p50_ms": percentile(token_round_trips, 50) * 1000,
    }


def child(args: argparse.Namespace) -> None:
    child_setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    tenant, system, encoded = _company(max(args.logins + 3, args.callbacks))
    result: dict[str, Any] = {"vendor": connection.vendor}
    result.update(_password_logins(args.logins, encoded))
    result.update(_sso_callbacks(tenant, system, args.callbacks))
    print("RESULT " + json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--logins", type=int)
    parser.add_argument("--callbacks", type=int)
    parser.add_argument("--database-url", default=DEFAULT_PG)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    logins = args.logins or (16 if args.quick else 400)
    callbacks = args.callbacks or (8 if args.quick else 60)
    print(f"login bench: {logins} password sign-ins, {callbacks} single sign-on callbacks")
    child_args = ["--logins", str(logins), "--callbacks", str(callbacks)]
    results = run_on_each_database(Path(__file__), child_args, args.database_url)
    figures = []
    for r in results:
        v = r["vendor"]
        figures += [
            info(f"{v}: raw argon2 verifications per second (ceiling)", r["raw_per_s"], unit="/s"),
            info(f"{v}: password sign-ins per second (login path)", r["login_per_s"], unit="/s"),
            figure(
                f"{v}: sign-ins as a share of the argon2 ceiling",
                r["login_per_s"] / r["raw_per_s"] * 100,
                80.0,
                lower_is_better=False,
                unit="%",
            ),
            info(f"{v}: one argon2 verification", r["raw_ms"], unit="ms"),
            info(f"{v}: one sign-in p50", r["login_p50_ms"], unit="ms"),
            info(f"{v}: one sign-in p95", r["login_p95_ms"], unit="ms"),
            info(f"{v}: SSO callback p50", r["sso_p50_ms"], unit="ms"),
            figure(f"{v}: SSO callback p95", r["sso_p95_ms"], 250.0, unit="ms"),
            info(f"{v}: provider round trip p50 (baseline)", r["idp_round_trip_p50_ms"], unit="ms"),
        ]
    report(figures, {"logins": logins, "callbacks": callbacks})


if __name__ == "__main__":
    main()
