"""botbuilder's storage contract (after botbuilder-testing's StorageBaseTests) on SqlStorage, on every
backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from botbuilder.core import ConversationState, MessageFactory, StoreItem, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import (
    Dialog,
    DialogSet,
    DialogState,
    DialogTurnResult,
    PromptOptions,
    PromptValidatorContext,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)

from bot.turn.state_storage import SqlStorage, StorageConflict
from nwow.storage import Database


@pytest.fixture
async def storage(db: Database) -> AsyncIterator[SqlStorage]:
    yield SqlStorage(db.kv)


class Note(StoreItem):  # type: ignore[misc]
    def __init__(self, text: str = "", count: int = 0, e_tag: str = "*") -> None:
        super().__init__(text=text, count=count, e_tag=e_tag)


async def test_reading_an_unknown_key_returns_an_empty_dict(storage: SqlStorage) -> None:
    result = await storage.read(["unknown"])
    assert result == {}


async def test_null_keys_and_changes_are_refused(storage: SqlStorage) -> None:
    with pytest.raises(ValueError, match="Keys are required when reading"):
        await storage.read(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Changes are required when writing"):
        await storage.write(None)  # type: ignore[arg-type]


async def test_writing_no_items_does_not_raise(storage: SqlStorage) -> None:
    await storage.write({})
    assert await storage.read([]) == {}


async def test_create_object(storage: SqlStorage) -> None:
    items: dict[str, Any] = {"createPoco": {"id": 1}, "createPocoStoreItem": {"id": 2, "e_tag": "*"}}
    await storage.write(items)
    read = await storage.read(list(items))
    assert read["createPoco"]["id"] == 1
    assert read["createPocoStoreItem"]["id"] == 2
    assert read["createPoco"]["e_tag"]
    assert read["createPocoStoreItem"]["e_tag"]


async def test_handle_crazy_keys(storage: SqlStorage) -> None:
    key = '!@#$%^&*()_+??><":QASD~`'
    await storage.write({key: {"id": 1}})
    read = await storage.read([key])
    assert read[key]["id"] == 1


async def test_update_object(storage: SqlStorage) -> None:
    await storage.write(
        {"pocoItem": {"id": 1, "count": 1}, "pocoStoreItem": {"id": 1, "count": 1, "e_tag": "*"}}
    )
    loaded = await storage.read(["pocoItem", "pocoStoreItem"])
    loaded["pocoItem"]["e_tag"] = None
    assert loaded["pocoStoreItem"]["e_tag"]
    loaded["pocoItem"]["count"] += 1
    loaded["pocoStoreItem"]["count"] += 1
    await storage.write(loaded)

    reloaded = await storage.read(["pocoItem", "pocoStoreItem"])
    assert reloaded["pocoItem"]["count"] == 2
    assert reloaded["pocoStoreItem"]["count"] == 2

    # Without an e_tag the write overwrites; with the old e_tag it is a conflict (the check the SDK's
    # Python suite had to comment out, because its items carried "*").
    stale_poco = dict(loaded["pocoItem"], count=123, e_tag=None)
    await storage.write({"pocoItem": stale_poco})
    stale_store_item = dict(reloaded["pocoStoreItem"], count=123)
    await storage.write({"pocoStoreItem": dict(reloaded["pocoStoreItem"])})  # moves the e_tag on
    with pytest.raises(StorageConflict):
        await storage.write({"pocoStoreItem": stale_store_item})

    reloaded2 = await storage.read(["pocoItem", "pocoStoreItem"])
    assert reloaded2["pocoItem"]["count"] == 123
    assert reloaded2["pocoStoreItem"]["count"] == 2

    reloaded2["pocoItem"]["count"] = 100
    reloaded2["pocoStoreItem"]["count"] = 100
    reloaded2["pocoStoreItem"]["e_tag"] = "*"
    await storage.write(reloaded2)
    reloaded3 = await storage.read(["pocoItem", "pocoStoreItem"])
    assert reloaded3["pocoItem"]["count"] == 100
    assert reloaded3["pocoStoreItem"]["count"] == 100

    reloaded3["pocoStoreItem"]["e_tag"] = ""
    with pytest.raises(ValueError, match="e_tag missing"):
        await storage.write({"pocoStoreItem": reloaded3["pocoStoreItem"]})
    final = await storage.read(["pocoItem", "pocoStoreItem"])
    assert final["pocoItem"]["count"] == 100
    assert final["pocoStoreItem"]["count"] == 100


async def test_a_stale_e_tag_raises_a_conflict_and_keeps_the_newer_state(storage: SqlStorage) -> None:
    await storage.write({"conv": {"step": 1}})
    first_reader = (await storage.read(["conv"]))["conv"]
    second_reader = (await storage.read(["conv"]))["conv"]
    second_reader["step"] = 2
    await storage.write({"conv": second_reader})
    first_reader["step"] = 99
    with pytest.raises(StorageConflict) as info:
        await storage.write({"conv": first_reader})
    assert isinstance(info.value, KeyError)
    assert (await storage.read(["conv"]))["conv"]["step"] == 2


async def test_the_new_e_tag_is_written_back_to_the_callers_objects(storage: SqlStorage) -> None:
    as_dict: dict[str, Any] = {"n": 1}
    as_item = Note("hello", 1)
    await storage.write({"d": as_dict, "o": as_item})
    read = await storage.read(["d", "o"])
    assert as_dict["e_tag"] == read["d"]["e_tag"]
    assert as_item.e_tag == read["o"].e_tag
    # So a second save in the same turn is not a conflict with itself.
    as_dict["n"] = 2
    as_item.count = 2
    await storage.write({"d": as_dict, "o": as_item})
    read = await storage.read(["d", "o"])
    assert read["d"]["n"] == 2 and read["o"].count == 2


async def test_store_item_objects_round_trip_as_objects(storage: SqlStorage) -> None:
    await storage.write({"note": Note("élan — Größe", 3)})
    read = (await storage.read(["note"]))["note"]
    assert isinstance(read, Note)
    assert (read.text, read.count) == ("élan — Größe", 3)
    read.count = 4
    await storage.write({"note": read})
    stale = Note("stale", 0, e_tag="not-the-current-etag")
    with pytest.raises(StorageConflict):
        await storage.write({"note": stale})


async def test_a_batch_with_a_stale_item_writes_nothing(storage: SqlStorage) -> None:
    await storage.write({"a": {"v": 1}, "b": {"v": 1}})
    old = await storage.read(["a", "b"])
    fresh_b = dict(old["b"], v=2)
    await storage.write({"b": fresh_b})
    with pytest.raises(StorageConflict):
        await storage.write({"a": dict(old["a"], v=3), "b": dict(old["b"], v=3)})
    now = await storage.read(["a", "b"])
    assert (now["a"]["v"], now["b"]["v"]) == (1, 2)


async def test_delete_object(storage: SqlStorage) -> None:
    await storage.write({"delete1": {"id": 1, "count": 1, "e_tag": "*"}})
    read = await storage.read(["delete1"])
    assert read["delete1"]["e_tag"]
    assert read["delete1"]["count"] == 1
    await storage.delete(["delete1"])
    assert await storage.read(["delete1"]) == {}


async def test_delete_unknown_object(storage: SqlStorage) -> None:
    await storage.delete(["unknown_key"])
    assert await storage.read(["unknown_key"]) == {}


async def test_perform_batch_operations(storage: SqlStorage) -> None:
    await storage.write({"batch1": {"count": 10}, "batch2": {"count": 20}, "batch3": {"count": 30}})
    result = await storage.read(["batch1", "batch2", "batch3"])
    assert [result[k]["count"] for k in ("batch1", "batch2", "batch3")] == [10, 20, 30]
    assert all(result[k]["e_tag"] for k in result)
    await storage.delete(["batch1", "batch2", "batch3"])
    assert await storage.read(["batch1", "batch2", "batch3"]) == {}


async def test_dialog_state_round_trips_as_sdk_objects(storage: SqlStorage) -> None:
    state = DialogState()
    state.dialog_stack.append(_dialog_instance())
    await storage.write({"conv": {"DialogState": state, "welcomed": True}})
    read = (await storage.read(["conv"]))["conv"]
    restored = read["DialogState"]
    assert isinstance(restored, DialogState)
    assert restored.dialog_stack[0].id == "WaterfallDialog"
    assert restored.dialog_stack[0].state == {"stepIndex": 1, "values": {"area": "Gent"}}
    assert read["welcomed"] is True


def _dialog_instance() -> Any:
    from botbuilder.dialogs import DialogInstance

    instance = DialogInstance()
    instance.id = "WaterfallDialog"
    instance.state = {"stepIndex": 1, "values": {"area": "Gent"}}
    return instance


@pytest.mark.parametrize("fresh_storage_each_turn", [False, True])
async def test_proceeds_through_waterfall(db: Database, fresh_storage_each_turn: bool) -> None:
    """A real WaterfallDialog with a TextPrompt runs turn by turn with its state in SqlStorage.

    With fresh_storage_each_turn each turn uses a new SqlStorage on the same table, the way turns
    alternate between replicas: nothing may survive only in memory.
    """
    shared = SqlStorage(db.kv)

    async def prompt_validator(prompt_context: PromptValidatorContext) -> bool:
        attempts = prompt_context.options.number_of_attempts
        if len(prompt_context.recognized.value) > 3:
            await prompt_context.context.send_activity(
                MessageFactory.text(f"You got it at the {attempts}rd try!")
            )
            return True
        await prompt_context.context.send_activity(
            MessageFactory.text(f"Please send a name that is longer than 3 characters. {attempts}")
        )
        return False

    async def step_1(step: WaterfallStepContext) -> DialogTurnResult:
        assert isinstance(step.active_dialog.state["stepIndex"], int)
        await step.context.send_activity("step1")
        return Dialog.end_of_turn

    async def step_2(step: WaterfallStepContext) -> DialogTurnResult:
        assert isinstance(step.active_dialog.state["stepIndex"], int)
        return await step.prompt(
            TextPrompt.__name__, PromptOptions(prompt=MessageFactory.text("Please type your name"))
        )

    async def step_3(step: WaterfallStepContext) -> DialogTurnResult:
        assert isinstance(step.active_dialog.state["stepIndex"], int)
        await step.context.send_activity("step3")
        return Dialog.end_of_turn

    def build(storage: SqlStorage) -> tuple[ConversationState, DialogSet]:
        convo_state = ConversationState(storage)
        dialogs = DialogSet(convo_state.create_property("dialogState"))
        dialogs.add(WaterfallDialog(WaterfallDialog.__name__, [step_1, step_2, step_3]))
        dialogs.add(TextPrompt(TextPrompt.__name__, prompt_validator))
        return convo_state, dialogs

    async def exec_test(turn_context: TurnContext) -> None:
        convo_state, dialogs = build(SqlStorage(db.kv) if fresh_storage_each_turn else shared)
        dialog_context = await dialogs.create_context(turn_context)
        await dialog_context.continue_dialog()
        if not turn_context.responded:
            await dialog_context.begin_dialog(WaterfallDialog.__name__)
        await convo_state.save_changes(turn_context)

    adapter = TestAdapter(exec_test)
    flow = await adapter.send("hello")
    flow = await flow.assert_reply("step1")
    flow = await flow.send("hello")
    flow = await flow.assert_reply("Please type your name")
    flow = await flow.send("hi")
    flow = await flow.assert_reply("Please send a name that is longer than 3 characters. 0")
    flow = await flow.send("hi")
    flow = await flow.assert_reply("Please send a name that is longer than 3 characters. 1")
    flow = await flow.send("hi")
    flow = await flow.assert_reply("Please send a name that is longer than 3 characters. 2")
    flow = await flow.send("Kyle")
    flow = await flow.assert_reply("You got it at the 3rd try!")
    await flow.assert_reply("step3")
