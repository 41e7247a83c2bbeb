"""Dates read as people write them."""

from datetime import UTC, datetime

from annotator.core.util.dates import readable


def test_stored_times_read_as_people_write_them(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    assert readable("2026-12-03T15:49:07+00:00") == "3 Dec 2026, 15:49"
    assert readable("2026-12-03T15:49:07+00:00", seconds=True) == "3 Dec 2026, 15:49:07"
    assert readable(datetime(2026, 1, 9, 8, 5, tzinfo=UTC)) == "9 Jan 2026, 08:05"
    assert readable("2023-11-21") == "21 Nov 2023"


def test_local_time_zone_is_used(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/London")
    import time

    time.tzset()
    assert readable("2026-07-01T12:00:00+00:00") == "1 Jul 2026, 13:00"  # British Summer Time
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def test_what_is_not_a_date_is_shown_as_it_was():
    assert readable("sometime in 2009") == "sometime in 2009"
    assert readable("") == "" and readable(None) == ""
