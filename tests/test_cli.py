"""The harbour command: one clear line and a non-zero exit on errors; operations through actions."""

from __future__ import annotations

import pytest

from harbour.cli import main
from harbour.directory.models import Member, MemberState


@pytest.fixture(autouse=True)
def _db(db):
    return None


def test_tenant_create_and_list(capsys):
    assert main(["tenant", "create", "kowloon", "--name", "Kowloon Ltd", "--domain", "kowloon.hk"]) == 0
    assert main(["tenant", "list"]) == 0
    assert "kowloon" in capsys.readouterr().out


def test_bad_slug_is_one_line_and_exit_2(capsys):
    assert main(["tenant", "create", "Bad Slug!", "--name", "X"]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "(slug)" in err


def test_member_invite_list_suspend(company, capsys):
    assert (
        main(
            [
                "member",
                "invite",
                "--tenant",
                "acme",
                "new.hire@acme.com.hk",
                "--name",
                "New Hire",
                "--department",
                "Finance",
                "--role",
                "general_member",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "/invite/" in out
    member = Member.objects.for_tenant(company.tenant).get(email="new.hire@acme.com.hk")
    assert member.state == MemberState.INVITED
    assert main(["member", "suspend", "--tenant", "acme", company.member.email, "--reason", "audit"]) == 0
    assert Member.objects.for_tenant(company.tenant).get(pk=company.member.pk).state == MemberState.SUSPENDED
    assert main(["member", "list", "--tenant", "acme", "--q", "gary"]) == 0
    assert "Gary General" in capsys.readouterr().out


def test_unknown_tenant_and_bad_email(company, capsys):
    assert main(["member", "list", "--tenant", "nope"]) == 2
    assert main(["member", "invite", "--tenant", "acme", "not-an-email", "--name", "X"]) == 2
    err = capsys.readouterr().err
    assert "no company" in err and "(email)" in err


def test_department_create_and_list(company, capsys):
    assert main(["department", "create", "--tenant", "acme", "Tax", "--parent", "Finance"]) == 0
    assert main(["department", "list", "--tenant", "acme"]) == 0
    assert "Tax" in capsys.readouterr().out


def test_operator_create_reads_the_password_from_stdin(monkeypatch, capsys):
    import io

    from harbour.core.models import Account

    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-operator-passphrase\n"))
    assert main(["operator", "create", "ops@reseller.hk", "--password-stdin"]) == 0
    account = Account.objects.get(email="ops@reseller.hk")
    assert account.is_operator and account.check_password("a-long-operator-passphrase")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["operator", "create", "ops2@reseller.hk", "--password-stdin"]) == 2
    assert not Account.objects.filter(email="ops2@reseller.hk").exists()
