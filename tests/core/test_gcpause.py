"""The collector pause nests, survives errors and restores what was there."""

import gc
import threading

import pytest

from annotator.core.util.gcpause import paused


def test_nested_pauses_restore_the_collector_at_the_end():
    assert gc.isenabled()
    with paused():
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_restores_it():
    with pytest.raises(ValueError):
        with paused():
            raise ValueError
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_on_two_threads():
    inside, release = threading.Event(), threading.Event()

    def slow():
        with paused():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=slow)
    t.start()
    inside.wait(5)
    with paused():
        release.set()
        t.join(5)
        assert not gc.isenabled()  # this pause is still running
    assert gc.isenabled()
