"""The asyncio edge: JoinGroup/SyncGroup futures complete as soon as the group can answer.

Each test runs its own event loop with `asyncio.run`; time only moves through the
ManualTimer, and `asyncio.sleep(0)` merely lets the request tasks reach their await.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from kafkalite.groups import (
    GroupCoordinator,
    GroupErrorCode,
    JoinRequest,
    LoopTimer,
    ManualTimer,
    Protocol,
    SyncRequest,
)
from kafkalite.storage.manager import LogManager

E = GroupErrorCode
MakeCoordinator = Callable[..., GroupCoordinator]


def join_request(member_id: str = "", client_id: str = "c") -> JoinRequest:
    return JoinRequest(
        group_id="g",
        member_id=member_id,
        client_id=client_id,
        protocol_type="consumer",
        protocols=[Protocol("range", client_id.encode())],
        session_timeout_ms=10_000,
        rebalance_timeout_ms=30_000,
    )


async def settle() -> None:
    for _ in range(5):  # bounded: a few loop iterations for tasks to reach their await
        await asyncio.sleep(0)


def test_join_and_sync_through_futures(logs: LogManager, make_coordinator: MakeCoordinator) -> None:
    async def scenario() -> None:
        timer = ManualTimer()
        coordinator = make_coordinator(logs, timer=timer)
        coordinator.start()
        try:
            required = [await coordinator.join_group(join_request(client_id=c)) for c in ("a", "b")]
            assert [r.error_code for r in required] == [E.MEMBER_ID_REQUIRED] * 2
            joins = [
                asyncio.create_task(coordinator.join_group(join_request(r.member_id, c)))
                for r, c in zip(required, ("a", "b"), strict=True)
            ]
            await settle()
            assert not any(task.done() for task in joins)  # parked until the phase ends
            timer.advance(0)
            a, b = await asyncio.gather(*joins)
            assert a.generation_id == b.generation_id == 1
            assert a.leader == a.member_id and len(a.members) == 2

            follower = asyncio.create_task(
                coordinator.sync_group(
                    SyncRequest(group_id="g", generation_id=1, member_id=b.member_id)
                )
            )
            await settle()
            assert not follower.done()  # waits for the leader
            leader = await coordinator.sync_group(
                SyncRequest(
                    group_id="g",
                    generation_id=1,
                    member_id=a.member_id,
                    assignments={a.member_id: b"A", b.member_id: b"B"},
                )
            )
            assert leader.assignment == b"A"
            assert (await follower).assignment == b"B"
        finally:
            coordinator.close()

    asyncio.run(scenario())


def test_close_answers_parked_requests(logs: LogManager, make_coordinator: MakeCoordinator) -> None:
    async def scenario() -> None:
        coordinator = make_coordinator(logs, timer=ManualTimer())
        coordinator.start()
        required = await coordinator.join_group(join_request())
        parked = asyncio.create_task(coordinator.join_group(join_request(required.member_id)))
        await settle()
        coordinator.close()
        result = await parked
        assert result.error_code == E.NOT_COORDINATOR
        after = await coordinator.join_group(join_request())
        assert after.error_code == E.COORDINATOR_NOT_AVAILABLE

    asyncio.run(scenario())


def test_cancelled_waiter_does_not_break_the_group(
    logs: LogManager, make_coordinator: MakeCoordinator
) -> None:
    async def scenario() -> None:
        timer = ManualTimer()
        coordinator = make_coordinator(logs, timer=timer)
        coordinator.start()
        try:
            required = await coordinator.join_group(join_request())
            parked = asyncio.create_task(coordinator.join_group(join_request(required.member_id)))
            await settle()
            parked.cancel()  # the connection went away
            await settle()
            timer.advance(0)  # the group still completes its join phase without error
            retry = await coordinator.join_group(join_request(required.member_id))
            assert retry.error_code == E.NONE and retry.generation_id == 1
        finally:
            coordinator.close()

    asyncio.run(scenario())


def test_loop_timer_replaces_and_cancels() -> None:
    async def scenario() -> None:
        timer = LoopTimer()
        fired: list[str] = []
        timer.schedule(("k",), 0, lambda: fired.append("first"))
        timer.schedule(("k",), 0, lambda: fired.append("second"))  # replaces "first"
        timer.schedule(("other",), 0, lambda: fired.append("other"))
        timer.cancel(("other",))
        await settle()
        assert fired == ["second"]
        assert len(timer) == 0
        timer.schedule(("late",), 60_000, lambda: fired.append("late"))
        timer.cancel_all()
        assert len(timer) == 0

    asyncio.run(scenario())


def test_default_timer_runs_on_the_loop(
    logs: LogManager, make_coordinator: MakeCoordinator
) -> None:
    async def scenario() -> None:
        coordinator = make_coordinator(logs)  # LoopTimer; initial delay 0 ms
        coordinator.start()
        try:
            required = await coordinator.join_group(join_request())
            result = await asyncio.wait_for(
                coordinator.join_group(join_request(required.member_id)), 5
            )
            assert result.error_code == E.NONE
        finally:
            coordinator.close()

    asyncio.run(scenario())
