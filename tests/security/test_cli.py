"""The security commands: domains (add, verify through DNS, override, report), lockout, baseline."""

from __future__ import annotations

import json

from harbour.cli import main
from harbour.identity import throttle
from harbour.identity.models import LoginFailure
from harbour.security.models import TenantDomain
from tests.factories import Company, make_member


def test_domain_add_verify_and_list(company: Company, dns_server, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["domain", "add", "acme-asia.hk", "--tenant", "acme"]) == 0
    row = TenantDomain.objects.for_tenant(company.tenant).get(name="acme-asia.hk")
    assert row.txt_value in capsys.readouterr().out
    assert main(["domain", "verify", "acme-asia.hk", "--tenant", "acme"]) == 1
    assert "not verified" in capsys.readouterr().out
    dns_server.publish("_harbour-verification.acme-asia.hk", row.txt_value)
    assert main(["domain", "verify", "acme-asia.hk", "--tenant", "acme"]) == 0
    assert main(["domain", "list", "--tenant", "acme"]) == 0
    assert "verified (dns)" in capsys.readouterr().out


def test_domain_override_needs_a_reason(company: Company, capsys) -> None:  # type: ignore[no-untyped-def]
    main(["domain", "add", "acme.mo", "--tenant", "acme"])
    assert main(["domain", "override", "acme.mo", "--tenant", "acme", "--reason", "x"]) == 2
    assert "(reason)" in capsys.readouterr().err
    assert (
        main(["domain", "override", "acme.mo", "--tenant", "acme", "--reason", "registrar is slow this week"])
        == 0
    )
    assert TenantDomain.objects.for_tenant(company.tenant).get(name="acme.mo").method == "override"


def test_domain_report_exits_1_with_outsiders(company: Company, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["domain", "report", "--tenant", "acme"]) == 0
    from harbour.security.actions import update_settings

    update_settings(company.admin, {"domain_binding": False})
    make_member(company, name="Freelancer", email="freelancer@gmail.com")
    assert main(["domain", "report", "--tenant", "acme"]) == 1
    assert "freelancer@gmail.com" in capsys.readouterr().out


def test_login_unlock(company: Company, capsys) -> None:  # type: ignore[no-untyped-def]
    throttle.note_failure(company.member.email, "203.0.113.1")
    assert main(["login", "unlock", company.member.email]) == 0
    assert not LoginFailure.objects.exists()


def test_security_baseline_formats(company: Company, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["security", "baseline", "--tenant", "acme", "--format", "json"]) == 1  # SHALL rules fail
    report = json.loads(capsys.readouterr().out)
    assert {"HB.SSO.2v1", "HB.TMP.1v1"} <= {r["rule_id"] for r in report["rules"]}
    main(["security", "baseline", "--tenant", "acme", "--format", "csv"])
    assert capsys.readouterr().out.startswith("rule_id,level,title,result")
    assert main(["security", "baseline", "--tenant", "nope"]) == 2
