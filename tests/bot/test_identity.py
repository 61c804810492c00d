"""Who a user is, as their data is kept: on Teams their Entra object id, vouched for by the channel; on any
other channel only that channel's user id, so a client that writes a colleague's Entra object id into
`from` (Web Chat, Direct Line) never reaches the colleague's feedback, answers or pulse data."""

from __future__ import annotations

from botbuilder.schema import Activity, ChannelAccount

from bot.conversation.identity import contact_id, entra_object_id, user_key_for

KEY = b"test-key"
COLLEAGUE = "00000000-0000-0000-0000-00000000abcd"


def _activity(channel: str, user_id: str, aad: str | None) -> Activity:
    return Activity(
        type="message", channel_id=channel, from_property=ChannelAccount(id=user_id, aad_object_id=aad)
    )


def test_on_teams_the_key_follows_the_entra_object_id_whatever_the_channel_user_id() -> None:
    one = user_key_for(_activity("msteams", "29:a", COLLEAGUE), KEY)
    same = user_key_for(_activity("msteams", "29:b", COLLEAGUE.upper()), KEY)
    assert one == same and entra_object_id(_activity("msteams", "29:a", COLLEAGUE)) == COLLEAGUE


def test_another_channel_claiming_a_colleagues_entra_id_gets_a_key_of_its_own() -> None:
    colleague = user_key_for(_activity("msteams", "29:colleague", COLLEAGUE), KEY)
    for channel in ("webchat", "directline", "emulator"):
        forged = _activity(channel, "attacker", COLLEAGUE)
        assert user_key_for(forged, KEY) != colleague
        assert entra_object_id(forged) is None
        assert contact_id(forged) == f"{channel}:attacker"
    # Nor can a non-Teams user id be chosen to equal a Teams user's key.
    assert user_key_for(_activity("webchat", COLLEAGUE, None), KEY) != colleague
