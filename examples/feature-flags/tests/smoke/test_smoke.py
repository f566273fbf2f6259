"""Runs in every config. testrig passes the config's values as TESTRIG_VALUE_* to the suite too."""
import os
import urllib.error
import urllib.request

MONITORING = os.environ["TESTRIG_VALUE_FEATURES_MONITORING"] == "true"


def answers(url):
    try:
        urllib.request.urlopen(url, timeout=3)
        return True
    except (urllib.error.URLError, OSError):
        return False


def test_web_answers():
    assert answers("http://web:8000/")


def test_metrics_answers_exactly_when_monitoring_is_on():
    assert answers("http://metrics:9100/") == MONITORING
