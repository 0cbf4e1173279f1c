"""The retry table and the wait before each retry."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comet_audio_nb.errors import (
    APIConnectionError,
    APITimeoutError,
    ServerError,
    error_class_for,
    error_from_response,
)
from comet_audio_nb.retry import RetryPolicy, retry_after


def status_error(status: int, code: str = ""):
    return error_class_for(status)("x", status=status, code=code)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 524])
def test_retried_statuses(status):
    assert RetryPolicy().should_retry(status_error(status))


@pytest.mark.parametrize("status", [301, 400, 401, 403, 404, 413, 422, 501])
def test_not_retried_statuses(status):
    assert not RetryPolicy().should_retry(status_error(status))


def test_500_invalid_request_is_not_retried():
    assert not RetryPolicy().should_retry(status_error(500, "invalid_request"))
    assert RetryPolicy().should_retry(status_error(500, "upstream_error"))


def test_connection_failures_are_retried():
    assert RetryPolicy().should_retry(APIConnectionError("refused"))
    assert RetryPolicy().should_retry(APITimeoutError("slow"))


def test_backoff_grows_and_is_capped():
    policy = RetryPolicy(initial_delay=0.5, max_delay=8, jitter=0.25)
    for attempt, base in [(0, 0.5), (1, 1), (2, 2), (3, 4), (4, 8), (9, 8)]:
        assert base <= policy.delay(attempt) <= base * 1.25


def test_retry_after_forms():
    assert retry_after({"Retry-After": "2"}) == 2
    assert retry_after({"retry-after-ms": "1500", "Retry-After": "9"}) == 1.5
    later = datetime.now(timezone.utc) + timedelta(seconds=30)
    assert 25 < retry_after({"Retry-After": format_datetime(later, usegmt=True)}) <= 30
    assert retry_after({"Retry-After": "soon"}) is None
    assert retry_after({}) is None


def test_retry_after_wins_and_is_capped():
    policy = RetryPolicy(max_retry_after=10)
    assert policy.delay(0, {"Retry-After": "4"}) == 4
    assert policy.delay(0, {"Retry-After": "400"}) == 10


@given(st.integers(min_value=100, max_value=599), st.binary(max_size=300))
def test_any_error_answer_maps_to_an_error_with_a_message(status, body):
    error = error_from_response(status, body, {"content-type": "application/json"})
    assert error.status == status and error.message and error.hint
    assert len(str(error).splitlines()) == 2


def test_request_id_from_message_or_header():
    body = b'{"error": {"message": "boom (request id: 2024abc)", "code": ""}}'
    error = error_from_response(503, body, {})
    assert isinstance(error, ServerError) and error.request_id == "2024abc"
    assert error.message == "boom"
    assert error_from_response(503, body, {"x-request-id": "hdr-1"}).request_id == "2024abc"
    plain = b'{"error": {"message": "boom"}}'
    assert error_from_response(503, plain, {"x-request-id": "hdr-1"}).request_id == "hdr-1"
