from harbour.core.permissions import can
from harbour.directory.models import Member


def test_manager_manages_only_their_subtree(company):
    assert can(company.manager, "member.suspend", company.member)
    assert not can(company.manager, "member.suspend", company.outsider)
    assert can(company.admin, "member.suspend", company.outsider)
    assert not can(company.member, "member.suspend", company.outsider)


def test_unscoped_query_is_refused(company):
    import pytest

    from harbour.core.errors import UnscopedQuery

    with pytest.raises(UnscopedQuery):
        list(Member.objects.all())
    assert Member.objects.for_tenant(company.tenant).count() == 4
