"""Runs in every config: web answers on the port compose got from the value web.port, and the
services a flag switches answer exactly in the configs where they are on."""
import os
import urllib.error
import urllib.request

DEBUG = os.environ["TESTRIG_VALUE_FEATURES_DEBUG"] == "true"


def answers(url):
    try:
        urllib.request.urlopen(url, timeout=3)
        return True
    except (urllib.error.URLError, OSError):
        return False


def test_web_listens_on_the_port_from_the_rig_value():
    assert answers("http://web:8123/")


def test_debug_answers_exactly_when_its_profile_is_on():
    assert answers("http://debug:9000/") == DEBUG


def test_lean_answers_exactly_when_it_is_enabled():
    assert answers("http://lean:9001/") == (not DEBUG)
