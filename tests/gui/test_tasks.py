"""The task manager: lanes, delivery on the GUI thread, cancel, urgent jobs, drain."""

import threading

import pytest

from annotator.gui.tasks import Latest, TaskManager


@pytest.fixture
def tasks(qapp):
    manager = TaskManager()
    yield manager
    manager.shutdown()


def _wait_all(qtbot, jobs):
    qtbot.waitUntil(lambda: all(j.delivered for j in jobs), timeout=10000)


def test_the_pdf_lane_is_one_thread_and_answers_arrive_on_the_gui_thread(qtbot, tasks):
    ran_on, answered_on = [], []
    jobs = [tasks.submit("pdf", lambda _job: ran_on.append(threading.get_ident())) for _ in range(6)]
    for job in jobs:
        job.finished.connect(lambda _r: answered_on.append(threading.current_thread()))
    _wait_all(qtbot, jobs)
    assert len(set(ran_on)) == 1 and ran_on[0] != threading.get_ident()
    assert answered_on == [threading.main_thread()] * 6
    assert not tasks.jobs


def test_writes_run_one_at_a_time_and_reads_side_by_side(qtbot, tasks):
    lock, now, most = threading.Lock(), {"write": 0, "read": 0}, {"write": 0, "read": 0}
    both_reading = threading.Barrier(2, timeout=10)

    def work(lane):
        def fn(_job):
            with lock:
                now[lane] += 1
                most[lane] = max(most[lane], now[lane])
            if lane == "read":
                both_reading.wait()  # two reads must be able to meet
            with lock:
                now[lane] -= 1

        return fn

    jobs = [tasks.submit(lane, work(lane)) for lane in ("write", "write", "write", "read", "read")]
    _wait_all(qtbot, jobs)
    assert most == {"write": 1, "read": 2}


def test_a_job_cancelled_before_it_starts_never_runs(qtbot, tasks):
    gate, ran = threading.Event(), []
    first = tasks.submit("write", lambda _job: gate.wait(10))
    second = tasks.submit("write", lambda _job: ran.append(1))
    answers = []
    second.finished.connect(answers.append)
    with qtbot.waitSignal(second.ended, timeout=5000):
        second.cancel()
        gate.set()
    assert not ran and not answers and first.is_done()


def test_errors_arrive_as_failed_with_the_traceback(qtbot, tasks):
    def boom(_job):
        raise ValueError("broken")

    job = tasks.submit("read", boom)
    with qtbot.waitSignal(job.failed, timeout=5000) as failed:
        pass
    err = failed.args[0]
    assert isinstance(err, ValueError) and "broken" in err.details


def test_an_urgent_job_runs_inside_a_long_jobs_progress_report(qtbot, tasks):
    queued, order = threading.Event(), []

    def long(job):
        order.append("long starts")
        queued.wait(10)
        job.report(1, 2, "half way")  # lets the urgent page through, on this same thread
        order.append("long ends")

    long_job = tasks.submit("pdf", long)
    qtbot.waitUntil(lambda: order == ["long starts"], timeout=5000)
    quick = tasks.submit("pdf", lambda _job: order.append("quick"), urgent=True)
    queued.set()
    _wait_all(qtbot, [long_job, quick])
    assert order == ["long starts", "quick", "long ends"]


def test_drain_cancels_and_waits_then_shutdown_stops_the_threads(qtbot, tasks):
    started, seen_cancel = threading.Event(), []

    def patient(job):
        started.set()
        while not job.cancelled():
            threading.Event().wait(0.01)
        seen_cancel.append(True)
        return "stopped"

    job = tasks.submit("read", patient)
    answers = []
    job.finished.connect(answers.append)
    started.wait(10)
    tasks.drain()  # returns only once the job has stopped, with its answer delivered
    assert seen_cancel and answers == ["stopped"] and not tasks.jobs
    threads = tasks.threads()
    tasks.shutdown()
    assert not tasks.threads() and not any(t.is_alive() for t in threads)
    with pytest.raises(RuntimeError):
        tasks.submit("read", lambda _job: None)


def test_latest_keeps_only_the_newest_answer(qtbot, tasks):
    gate, shown = threading.Event(), []
    newest = Latest(tasks)
    newest.start(lambda _job: gate.wait(10) and "old", shown.append)
    job = newest.start(lambda _job: "new", shown.append)
    gate.set()
    qtbot.waitUntil(lambda: not tasks.jobs, timeout=5000)
    assert shown == ["new"] and job.delivered and not newest.pending


def test_latest_is_not_left_pending_when_its_work_is_cancelled_before_it_ran(qtbot, tasks):
    gate, shown = threading.Event(), []
    tasks.submit("write", lambda _job: gate.wait(10))  # holds the lane
    newest = Latest(tasks, lane="write")
    job = newest.start(lambda _job: "never", shown.append)
    assert newest.pending
    with qtbot.waitSignal(job.ended, timeout=5000):
        job.cancel()  # as drain() does when the workspace closes
        gate.set()
    assert not newest.pending and not shown and not newest.running
