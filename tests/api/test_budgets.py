"""Clients' budgets (issue 22, item 4): shared by every API process, charged for the work a client's
queries cost (never for waiting), and for the workers its queries crash."""

from __future__ import annotations

import asyncio
import multiprocessing

import pytest
from otkg.api import budgets
from otkg.api.budgets import Budgets, create_file
from otkg.api.client_limits import Allowance, ClientLimits
from otkg.api.errors import Problem


def _charge_from_another_process(path: str, client: str, seconds: float) -> None:
    Budgets(20, 0, budgets.Path(path)).charge(client, seconds)


def test_a_charge_in_one_process_is_seen_by_every_other(tmp_path):
    path = create_file(tmp_path)
    here = Budgets(20, 0, path)
    p = multiprocessing.get_context("spawn").Process(
        target=_charge_from_another_process, args=(str(path), "10.0.0.7", 12.5)
    )
    p.start()
    p.join(60)
    assert p.exitcode == 0
    assert here.balance("10.0.0.7") == 7.5
    here.charge("10.0.0.7", 10)  # the two processes' charges add up
    assert Budgets(20, 0, path).balance("10.0.0.7") == -2.5
    assert here.balance("10.0.0.8") == 20  # another client keeps its budget


def test_a_balance_refills_with_time_up_to_the_budget(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(budgets.time, "monotonic", lambda: clock[0])
    b = Budgets(20, 0.5)
    b.charge("a", 30)
    assert b.balance("a") == -10
    clock[0] += 10
    assert b.balance("a") == -5
    clock[0] += 1000
    assert b.balance("a") == 20


def test_a_full_neighbourhood_forgives_the_nearest_to_refilled_never_a_debtor_first(monkeypatch):
    monkeypatch.setattr(budgets, "SLOTS", 16)  # every client shares the one neighbourhood
    b = Budgets(20, 0)
    for i in range(16):
        b.charge(f"c{i}", 30 if i else 1)  # c0 owes least
    b.charge("newcomer", 5)
    assert b.balance("newcomer") == 15
    assert b.balance("c0") == 20  # its entry went to the newcomer
    assert [b.balance(f"c{i}") for i in range(1, 16)] == [-10] * 15


def limits(**kwargs) -> ClientLimits:
    return ClientLimits(budget_s=10, refill_per_s=0, free_s=0.1, **kwargs)


def test_a_requests_free_time_is_shared_by_all_its_reads():
    """An entity page makes several reads: 0.1 s of work free for the request, not for each read."""

    async def reads(allowance_per_request: bool) -> float:
        lim = limits()
        allowance = Allowance(lim.free_s) if allowance_per_request else None
        for _ in range(3):
            async with lim.slot("10.0.0.1", 1, allowance) as meter:
                meter.seconds += 0.08
        return 10 - lim.budgets.balance("10.0.0.1")

    assert asyncio.run(reads(True)) == pytest.approx(0.14)  # 3 x 0.08 s, of which 0.1 s free
    assert asyncio.run(reads(False)) == 0  # each read under its own 0.1 s: none charged


def test_waiting_is_free_work_and_crashes_are_charged():
    async def scenario():
        lim = limits(crash_cost_s=4)
        async with lim.slot("waiter", 1) as meter:
            await asyncio.sleep(0.3)  # waited for a lane or a worker, did nothing
        async with lim.slot("crasher", 1) as meter:
            meter.crashes += 1
            meter.seconds += 0.05
        return lim.budgets.balance("waiter"), lim.budgets.balance("crasher")

    assert asyncio.run(scenario()) == (10, 6)


def test_a_spent_budget_is_429_with_when_to_retry():
    lim = ClientLimits(budget_s=1, refill_per_s=0.5, free_s=0)
    lim.budgets.charge("x", 3)  # 2 s in debt: 4 s to refill at 0.5 s a second

    async def scenario():
        async with lim.slot("x", 1):
            pass

    with pytest.raises(Problem) as refused:
        asyncio.run(scenario())
    assert refused.value.status == 429 and refused.value.headers["Retry-After"] == "5"
