"""The demo seed's training: a quarterly programme with its five-question quiz and this quarter's session
holding a mix of passes, failures and absences."""

from __future__ import annotations

from harbour.demo.training_seed import seed_training
from harbour.directory.models import BuiltinRole
from harbour.training.evidence import session_evidence
from harbour.training.models import Programme
from tests.factories import Company, make_member


def test_seed_makes_a_quarter_with_mixed_results(company: Company) -> None:
    assert company.admin is not None
    for n in range(12):
        make_member(
            company,
            name=f"Staff {n:02d}",
            email=f"staff{n:02d}@acme.com.hk",
            departments=[company.departments["accounts"]],
            role=BuiltinRole.GENERAL_MEMBER,
            with_login=False,
        )
    session = seed_training(company.system, company.admin)
    programme = Programme.objects.for_tenant(company.tenant).get()
    assert programme.quiz is not None and programme.quiz.question_count == 5
    if session is None:  # the first hours of a quarter: opened, nothing recorded yet
        return
    evidence = session_evidence(session)
    assert evidence.counts["audience"] == 16
    assert evidence.counts["complete"] == 11
    rows = evidence.rows
    assert any(row.attended and row.attempts == 3 and not row.passed for row in rows)  # failed every attempt
    assert any(row.attended and row.attempts == 2 and row.passed for row in rows)  # passed the second time
    assert sum(1 for row in rows if row.attendance == "absent") == 1
    assert sum(1 for row in rows if not row.attendance) == 2
