import uuid

from hrtui.store.ids import uuid7


def test_uuid7_is_version_7_unique_and_time_ordered():
    ids = [uuid7() for _ in range(20000)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    parsed = uuid.UUID(ids[0])
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
