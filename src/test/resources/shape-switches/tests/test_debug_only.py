"""Runs only where features.debug is true (suites[].when)."""
import urllib.request


def test_debug_answers():
    with urllib.request.urlopen("http://debug:9000/", timeout=3) as r:
        assert r.status == 200
