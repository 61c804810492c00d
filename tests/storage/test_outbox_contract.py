"""The outbox, the address book and leases of proactive messages, on every backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from nwow.outbox import Address, Delivery, Settlement
from nwow.storage import Database
from tests.storage.factories import T0, message

LEASE = timedelta(seconds=30)


def address(conversation: str | None = "a:personal-1") -> Address:
    return Address(
        service_url="https://smba.example/emea/",
        channel_id="msteams",
        bot_id="28:bot",
        conversation_id=conversation,
        tenant_id="tenant-1",
        user_id="29:user-1",
        locale="nl-BE",
    )


async def test_a_key_is_queued_once_whatever_the_repeats(db: Database) -> None:
    assert await db.outbox.enqueue([message("k1"), message("k2")], T0) == 2
    assert await db.outbox.enqueue([message("k1"), message("k3")], T0) == 1
    assert (await db.outbox.counts("g"))[Delivery.QUEUED] == 3


async def test_claim_returns_due_messages_oldest_first_with_their_payload(db: Database) -> None:
    later = message("later", not_before=T0 + timedelta(minutes=5))
    await db.outbox.enqueue([message("first"), later, message("second")], T0)
    claimed = await db.outbox.claim("A", T0, LEASE, 10)
    assert [m.key for m in claimed] == ["first", "second"]
    assert claimed[0].payload == {"type": "message", "text": "hello first"}
    assert claimed[0].attempts == 1
    assert await db.outbox.next_due() == T0 + timedelta(minutes=5)


async def test_two_senders_never_hold_the_same_message(db: Database) -> None:
    await db.outbox.enqueue([message(f"k{i}") for i in range(60)], T0)
    batches = await asyncio.gather(*(db.outbox.claim(owner, T0, LEASE, 25) for owner in "ABCD"))
    keys = [m.key for batch in batches for m in batch]
    assert len(keys) == len(set(keys)) == 60


async def test_a_lease_that_ran_out_is_claimed_again_and_the_old_owner_cannot_settle(db: Database) -> None:
    await db.outbox.enqueue([message("k1")], T0)
    [first] = await db.outbox.claim("A", T0, LEASE, 10)
    assert await db.outbox.claim("B", T0 + timedelta(seconds=10), LEASE, 10) == []
    [again] = await db.outbox.claim("B", T0 + timedelta(seconds=31), LEASE, 10)
    assert again.id == first.id and again.attempts == 2
    assert not await db.outbox.settle(first.id, "A", Settlement.sent(), T0)
    assert await db.outbox.settle(again.id, "B", Settlement.sent(), T0)
    assert (await db.outbox.counts("g"))[Delivery.SENT] == 1


async def test_a_message_due_again_waits_for_its_time(db: Database) -> None:
    await db.outbox.enqueue([message("k1")], T0)
    [claimed] = await db.outbox.claim("A", T0, LEASE, 10)
    retry_at = T0 + timedelta(seconds=7)
    assert await db.outbox.settle(claimed.id, "A", Settlement.again(retry_at, "HTTP 429"), T0)
    assert await db.outbox.claim("A", T0 + timedelta(seconds=6), LEASE, 10) == []
    [again] = await db.outbox.claim("A", retry_at, LEASE, 10)
    assert again.attempts == 2


async def test_final_states_are_counted_per_group_and_drop_the_payload(db: Database) -> None:
    await db.outbox.enqueue([message("a"), message("b"), message("c"), message("x", group="other")], T0)
    claimed = {m.key: m for m in await db.outbox.claim("A", T0, LEASE, 10)}
    await db.outbox.settle(claimed["a"].id, "A", Settlement.sent(), T0)
    await db.outbox.settle(claimed["b"].id, "A", Settlement.gone("HTTP 403"), T0)
    await db.outbox.settle(claimed["c"].id, "A", Settlement.failed("HTTP 400"), T0)
    counts = await db.outbox.counts("g")
    assert counts == {
        Delivery.QUEUED: 0,
        Delivery.SENDING: 0,
        Delivery.SENT: 1,
        Delivery.GONE: 1,
        Delivery.FAILED: 1,
    }
    rows = await db.executor.fetch("SELECT payload FROM outbox WHERE grp = $1", "g")
    assert {row[0] for row in rows} == {"{}"}


async def test_cancel_gives_up_only_what_still_waits_for_the_recipient_and_keeps_its_key(
    db: Database,
) -> None:
    await db.outbox.enqueue(
        [message("sent-one"), message("sending"), message("waiting"), message("theirs", "user-2")], T0
    )
    [first, being_sent] = await db.outbox.claim("A", T0, LEASE, 2)
    await db.outbox.settle(first.id, "A", Settlement.sent(), T0)
    assert await db.outbox.cancel("user-1", T0) == 1
    assert [m.key for m in await db.outbox.claim("B", T0, LEASE, 10)] == ["theirs"]
    # The one being sent is left to its sender; the cancelled one is settled, its payload dropped, and its
    # key is not queued again (a resumed campaign does not send it).
    assert await db.outbox.settle(being_sent.id, "A", Settlement.sent(), T0)
    assert await db.outbox.delivery(["waiting"]) == {"waiting": (Delivery.GONE, None)}
    rows = await db.executor.fetch("SELECT payload, error FROM outbox WHERE key = $1", "waiting")
    assert [(str(r[0]), str(r[1])) for r in rows] == [("{}", "cancelled")]
    assert await db.outbox.enqueue([message("waiting")], T0) == 0


async def test_purge_forgets_settled_messages_so_their_key_may_be_queued_again(db: Database) -> None:
    await db.outbox.enqueue([message("k1")], T0)
    [claimed] = await db.outbox.claim("A", T0, LEASE, 10)
    await db.outbox.settle(claimed.id, "A", Settlement.sent(), T0)
    assert await db.outbox.purge_older_than(T0) == 0
    assert await db.outbox.purge_older_than(T0 + timedelta(seconds=1)) == 1
    assert await db.outbox.enqueue([message("k1")], T0) == 1


async def test_addresses_are_kept_replaced_listed_and_forgotten(db: Database) -> None:
    await db.addresses.remember("user-1", address(None), kind="user", now=T0)
    await db.addresses.remember("user-1", address("a:personal-1"), kind="user", now=T0)
    await db.addresses.remember("user-1", address(None), kind="user", now=T0, replace=False)
    await db.addresses.remember("team/general", address("19:general"), kind="channel", now=T0)
    await db.addresses.remember("user-0", address("a:personal-0"), kind="user", now=T0)
    found = await db.addresses.lookup(["user-1", "nobody", "team/general"])
    assert found["user-1"] == address("a:personal-1")
    assert set(found) == {"user-1", "team/general"}
    assert await db.addresses.recipients("user") == ["user-0", "user-1"]
    assert await db.addresses.recipients("user", after="user-0", limit=5) == ["user-1"]
    assert await db.addresses.forget("user-1")
    assert not await db.addresses.forget("user-1")
    assert await db.addresses.lookup(["user-1"]) == {}


async def test_a_long_key_list_is_looked_up_in_chunks(db: Database) -> None:
    for number in range(3):
        await db.addresses.remember(f"user-{number}", address(f"a:{number}"), kind="user", now=T0)
    keys = [f"user-{n}" for n in range(1200)]
    assert set(await db.addresses.lookup(keys)) == {"user-0", "user-1", "user-2"}


async def test_one_lease_holder_at_a_time_until_it_runs_out_or_is_released(db: Database) -> None:
    ttl = timedelta(seconds=15)
    assert await db.leases.acquire("sender", "A", T0, ttl)
    assert not await db.leases.acquire("sender", "B", T0 + timedelta(seconds=5), ttl)
    assert await db.leases.acquire("sender", "A", T0 + timedelta(seconds=10), ttl)  # renewed
    assert not await db.leases.acquire("sender", "B", T0 + timedelta(seconds=20), ttl)
    assert await db.leases.acquire("sender", "B", T0 + timedelta(seconds=26), ttl)  # A's ran out
    await db.leases.release("sender", "A")  # not A's any more: nothing happens
    assert not await db.leases.acquire("sender", "A", T0 + timedelta(seconds=27), ttl)
    await db.leases.release("sender", "B")
    assert await db.leases.acquire("sender", "A", T0 + timedelta(seconds=28), ttl)


async def test_concurrent_lease_takers_get_one_winner(db: Database) -> None:
    wins = await asyncio.gather(
        *(db.leases.acquire("sender", owner, T0, timedelta(seconds=15)) for owner in "ABCDEFGH")
    )
    assert wins.count(True) == 1


async def test_a_sent_message_keeps_the_activity_id_the_channel_gave_it(db: Database) -> None:
    await db.outbox.enqueue([message("card"), message("gone"), message("waiting")], T0)
    claimed = {m.key: m for m in await db.outbox.claim("A", T0, LEASE, 2)}
    await db.outbox.settle(claimed["card"].id, "A", Settlement.sent("1700000000000"), T0)
    await db.outbox.settle(claimed["gone"].id, "A", Settlement.gone("HTTP 404"), T0)
    found = await db.outbox.delivery(["card", "gone", "waiting", "never"])
    assert found == {
        "card": (Delivery.SENT, "1700000000000"),
        "gone": (Delivery.GONE, None),
        "waiting": (Delivery.QUEUED, None),
    }


async def test_an_update_names_the_message_it_replaces(db: Database) -> None:
    await db.outbox.enqueue([message("card"), message("card-v2", replaces="card")], T0)
    claimed = await db.outbox.claim("A", T0, LEASE, 10)
    assert [(m.key, m.replaces) for m in claimed] == [("card", ""), ("card-v2", "card")]


async def test_a_send_under_way_is_marked_and_shows_in_the_next_claim_once_its_sender_is_gone(
    db: Database,
) -> None:
    await db.outbox.enqueue([message("k1"), message("k2")], T0)
    first = {m.key: m for m in await db.outbox.claim("A", T0, LEASE, 10)}
    assert first["k1"].attempted_at is None and not first["k1"].unconfirmed
    attempted = T0 + timedelta(seconds=1)
    assert await db.outbox.attempt(first["k1"].id, "A", attempted)
    assert not await db.outbox.attempt(first["k2"].id, "B", attempted)  # B does not hold it
    # A dies; both come back when the lease runs out, k1 marked unconfirmed.
    again = {m.key: m for m in await db.outbox.claim("B", T0 + timedelta(seconds=31), LEASE, 10)}
    assert again["k1"].attempted_at == attempted and again["k1"].unconfirmed
    assert again["k2"].attempted_at is None
    assert not await db.outbox.attempt(first["k1"].id, "A", T0 + timedelta(seconds=32))


async def test_a_settle_clears_the_mark_of_a_send_under_way(db: Database) -> None:
    await db.outbox.enqueue([message("k1")], T0)
    [claimed] = await db.outbox.claim("A", T0, LEASE, 10)
    await db.outbox.attempt(claimed.id, "A", T0)
    await db.outbox.settle(claimed.id, "A", Settlement.again(T0 + timedelta(seconds=2), "HTTP 429"), T0)
    [again] = await db.outbox.claim("A", T0 + timedelta(seconds=2), LEASE, 10)
    assert again.attempted_at is None
    await db.outbox.attempt(again.id, "A", T0 + timedelta(seconds=2))
    assert await db.outbox.settle(again.id, "A", Settlement.unconfirmed(T0), T0 + timedelta(seconds=3))
    assert (await db.outbox.counts("g"))[Delivery.SENT] == 1
    assert await db.outbox.delivery(["k1"]) == {"k1": (Delivery.SENT, None)}
