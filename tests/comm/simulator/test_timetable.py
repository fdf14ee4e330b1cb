import asyncio

from app.comm.simulator.timetable import timetable


def test_timed_sends_run_in_time_order_and_not_early():
    async def main():
        loop = asyncio.get_running_loop()
        table = timetable()
        assert timetable() is table  # one per loop
        ran = []
        t0 = loop.time()
        for delay, name in ((0.06, "c"), (0.02, "a"), (0.04, "b"), (0.02, "a2")):
            table.call_later(
                delay, lambda n=name, d=delay: ran.append((n, loop.time() - t0 >= d - 0.002))
            )
        await asyncio.sleep(0.1)
        assert ran == [("a", True), ("a2", True), ("b", True), ("c", True)]
        assert len(table) == 0

    asyncio.run(main())


def test_a_callback_that_schedules_itself_at_once_does_not_starve_the_loop():
    async def main():
        table = timetable()
        count = 0

        def again():
            nonlocal count
            count += 1
            table.call_later(0, again)

        table.call_later(0, again)
        await asyncio.sleep(0.05)  # returns: the loop kept turning
        assert count > 1

    asyncio.run(main())


def test_a_failing_callback_does_not_stop_the_others():
    async def main():
        table = timetable()
        ran = []
        table.call_later(0.01, lambda: 1 / 0)
        table.call_later(0.01, lambda: ran.append("after"))
        table.call_later(0.03, lambda: ran.append("later"))
        await asyncio.sleep(0.06)
        assert ran == ["after", "later"]

    asyncio.run(main())
