"""The collector pause: off inside, back as it was after the outermost block, even when
blocks nest, overlap across threads, or raise."""

from __future__ import annotations

import gc
import threading

import pytest

from xsfabric.perf import gc_paused


def test_pause_restores_the_collector_after_nesting_and_errors() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block is still open
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_threads_leave_it_on_only_when_the_last_ends() -> None:
    inside = threading.Barrier(2)
    release = threading.Event()

    def first() -> None:
        with gc_paused():
            inside.wait()
            release.wait()

    thread = threading.Thread(target=first)
    thread.start()
    with gc_paused():
        inside.wait()
    assert not gc.isenabled()  # the other thread's block is still open
    release.set()
    thread.join()
    assert gc.isenabled()
