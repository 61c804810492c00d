"""A pulse's definition as the store keeps it: read back, it still asks the same (a resumed start compares
them), though the ids of an audience by list are not kept."""

from __future__ import annotations

from nwow.pulses.codec import pulse_from_json, pulse_to_json, same_definition
from nwow.pulses.model import Audience
from tests.storage.pulse_factories import pulse

IDS = frozenset(f"0000000{n}-aaaa-bbbb-cccc-dddddddddddd" for n in range(3))


def test_a_pulse_to_a_list_read_back_is_the_same_pulse_without_its_ids() -> None:
    listed = pulse(audience=Audience("list", object_ids=IDS))
    kept = pulse_from_json(pulse_to_json(listed))
    assert kept.audience == Audience("list", listed=3) and kept.audience.size == 3
    assert same_definition(kept, listed) and same_definition(listed, kept)
    assert pulse_to_json(pulse_from_json(pulse_to_json(kept))) == pulse_to_json(listed)


def test_a_list_of_another_length_is_another_pulse() -> None:
    kept = pulse_from_json(pulse_to_json(pulse(audience=Audience("list", object_ids=IDS))))
    longer = pulse(audience=Audience("list", object_ids=IDS | {"00000009-aaaa-bbbb-cccc-dddddddddddd"}))
    assert not same_definition(kept, longer)


def test_a_pulse_to_units_or_to_everyone_reads_back_as_it_was() -> None:
    for audience in (Audience("all"), Audience("units", units=frozenset({"zone-5341", "fed-dri"}))):
        original = pulse(audience=audience)
        assert pulse_from_json(pulse_to_json(original)) == original
