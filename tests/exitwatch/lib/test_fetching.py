"""The one HTTP GET every feed goes through, against a local server."""

import time

from exitwatch.lib.fetching import FetchError, FetchResult, fetch
from tests.support.feedserver import FeedServer, Route


def test_a_200_returns_the_body_and_its_validators(feed_server):
    url = feed_server.add(
        "/feed.xml",
        Route(b"<rss/>", etag='"v1"', headers={"Last-Modified": "Tue, 14 Oct 2025"}),
    )
    result = fetch(url)
    assert isinstance(result, FetchResult)
    assert (result.status, result.body, result.etag) == (200, b"<rss/>", '"v1"')
    assert result.last_modified == "Tue, 14 Oct 2025"
    assert (
        feed_server.hits("/feed.xml")[0].headers["User-Agent"].startswith("ExitWatch/")
    )


def test_validators_are_sent_and_an_unchanged_feed_is_a_304(feed_server):
    url = feed_server.add("/feed.xml", Route(b"<rss/>", etag='"v1"'))
    result = fetch(url, etag='"v1"', last_modified="Tue, 14 Oct 2025 14:48:04 GMT")
    assert isinstance(result, FetchResult)
    assert result.not_modified and result.body == b""
    headers = feed_server.hits("/feed.xml")[0].headers
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Tue, 14 Oct 2025 14:48:04 GMT"


def test_a_50_mb_body_is_refused_while_reading(feed_server):
    url = feed_server.add("/huge", Route(stream_bytes=50 * 1024 * 1024))
    started = time.monotonic()
    result = fetch(url)
    assert isinstance(result, FetchError)
    assert result.message == f"response from {url} is larger than 10 MB; refused"
    assert not result.transient
    assert time.monotonic() - started < 10


def test_a_declared_length_over_the_cap_is_refused_before_reading(feed_server):
    url = feed_server.add("/big", Route(b"x" * 2048))
    result = fetch(url, max_bytes=1024)
    assert isinstance(result, FetchError)
    assert "larger than" in result.message


def test_server_errors_are_transient_and_client_errors_are_not(feed_server):
    down = fetch(feed_server.add("/down", Route(b"busy", status=503)))
    throttled = fetch(feed_server.add("/slow-down", Route(b"", status=429)))
    missing = fetch(feed_server.add("/gone", Route(b"", status=404)))
    assert isinstance(down, FetchError) and down.transient and down.status == 503
    assert isinstance(throttled, FetchError) and throttled.transient
    assert isinstance(missing, FetchError) and not missing.transient
    assert missing.message == f"HTTP 404 from {feed_server.url('/gone')}"


def test_a_timeout_is_a_transient_error_not_an_exception(feed_server):
    url = feed_server.add("/stuck", Route(b"late", delay=2))
    result = fetch(url, timeout=(1, 0.3))
    assert isinstance(result, FetchError) and result.transient
    assert result.message == f"timed out fetching {url}"


def test_a_closed_port_is_a_transient_error():
    server = FeedServer()
    port = server.port
    server.close()
    result = fetch(f"http://127.0.0.1:{port}/feed.xml", timeout=(1, 1))
    assert isinstance(result, FetchError) and result.transient
    assert result.message.startswith(f"could not connect to http://127.0.0.1:{port}")


def test_redirects_are_followed_on_the_same_host_only(feed_server):
    other = FeedServer()
    try:
        feed_server.add("/final", Route(b"ok"))
        same = feed_server.add(
            "/moved", Route(status=301, headers={"Location": "/final"})
        )
        away = feed_server.add(
            "/away", Route(status=302, headers={"Location": other.url("/x")})
        )
        followed = fetch(same)
        refused = fetch(away)
    finally:
        other.close()
    assert isinstance(followed, FetchResult) and followed.body == b"ok"
    assert followed.url == feed_server.url("/final")
    assert isinstance(refused, FetchError)
    assert refused.message == (
        f"refused redirect from {away} to another host ({other.url('/x')})"
    )
    assert other.requests == []


def test_a_redirect_loop_stops(feed_server):
    url = feed_server.add("/loop", Route(status=302, headers={"Location": "/loop"}))
    result = fetch(url)
    assert isinstance(result, FetchError)
    assert result.message == f"more than 3 redirects from {url}"
