"""Time-ordered ids for bulk rows."""

from harbour.core.ids import new_id


def test_ids_are_version_7_unique_and_in_the_order_made() -> None:
    ids = [new_id() for _ in range(20_000)]  # many share a millisecond: the sequence keeps them ordered
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert {i.version for i in ids} == {7}
    assert {i.variant for i in ids} == {"specified in RFC 4122"}
