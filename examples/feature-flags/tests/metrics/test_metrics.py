"""Runs only where features.monitoring is true (suites[].when); skipped elsewhere."""
import urllib.request


def test_metrics_answers():
    with urllib.request.urlopen("http://metrics:9100/", timeout=3) as r:
        assert r.status == 200
