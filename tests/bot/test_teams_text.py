from __future__ import annotations

from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, Entity

from bot.conversation.teams_text import is_group_conversation, mentions_bot, user_text

BOT = ChannelAccount(id="28:bot", name="NWOW (assistant)")


def _activity(text: str, *, mentioned: str | None, conversation_type: str = "channel") -> Activity:
    entities = []
    if mentioned:
        entities.append(
            Entity().deserialize(
                {
                    "type": "mention",
                    "text": f"<at>{mentioned}</at>",
                    "mentioned": {"id": BOT.id, "name": mentioned},
                }
            )
        )
    return Activity(
        type="message",
        text=text,
        recipient=BOT,
        from_property=ChannelAccount(id="29:user"),
        conversation=ConversationAccount(id="19:channel", conversation_type=conversation_type),
        entities=entities,
    )


def test_mention_with_regex_characters_in_the_name_is_removed() -> None:
    activity = _activity("<at>NWOW (assistant)</at> hoe werkt MFA?", mentioned="NWOW (assistant)")
    assert mentions_bot(activity)
    assert user_text(activity) == "hoe werkt MFA?"


def test_other_people_mentioned_keep_their_name_and_entities_are_unescaped() -> None:
    activity = _activity(
        "<at>NWOW (assistant)</at> vraag van <at>Jan</at> &amp; co", mentioned="NWOW (assistant)"
    )
    assert user_text(activity) == "vraag van Jan & co"


def test_group_conversations_without_mention_are_recognised() -> None:
    activity = _activity("hallo allemaal", mentioned=None, conversation_type="groupChat")
    assert is_group_conversation(activity)
    assert not mentions_bot(activity)
    personal = _activity("hallo", mentioned=None, conversation_type="personal")
    assert not is_group_conversation(personal)


def test_unclosed_and_stray_mention_tags_are_dropped_and_the_question_kept() -> None:
    assert user_text(_activity("<at>Jan hoe werkt MFA?", mentioned=None)) == "Jan hoe werkt MFA?"
    assert user_text(_activity("hoe werkt MFA?</at>", mentioned=None)) == "hoe werkt MFA?"
    assert user_text(_activity("<AT id='0'>Jan</At> en MFA", mentioned=None)) == "Jan en MFA"


def test_thousands_of_unclosed_mention_tags_leave_just_the_question() -> None:
    # The old pattern <at[^>]*>(.*?)</at> rescanned the rest of the text from every "<at": quadratic,
    # 9 s for 20,000 tags; and it left unclosed tags in the text.
    assert user_text(_activity("<at>" * 20_000 + "hoe werkt MFA?", mentioned=None)) == "hoe werkt MFA?"
    assert user_text(_activity("<at" * 20_000 + " MFA", mentioned=None)) == "<at" * 20_000 + " MFA"


def test_a_mention_entity_with_empty_text_changes_nothing() -> None:
    activity = _activity("hoe werkt MFA?", mentioned=None)
    activity.entities = [
        Entity().deserialize({"type": "mention", "text": "", "mentioned": {"id": BOT.id, "name": "x"}})
    ]
    assert user_text(activity) == "hoe werkt MFA?"
