import copy
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles: "ci" (the default) keeps the suite fast; "deep" is for long fuzzing runs:
#   HYPOTHESIS_PROFILE=deep python -m pytest tests/test_fuzz.py
settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("mid", max_examples=400, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("deep", max_examples=8000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def load_example(name: str) -> dict:
    with open(ROOT / name, encoding="utf-8") as handle:
        return json.load(handle)


def patched(document: dict, patch: dict | None = None, remove: list | None = None) -> dict:
    """A copy of ``document`` with dotted paths set or removed."""
    document = copy.deepcopy(document)
    for path, value in (patch or {}).items():
        *parents, last = path.split(".")
        node = document
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    for path in remove or []:
        *parents, last = path.split(".")
        node = document
        for key in parents:
            node = node[key]
        del node[last]
    return document


@pytest.fixture
def huaian() -> dict:
    return load_example("examples/huaian-city-2024.json")


@pytest.fixture
def hegang() -> dict:
    return load_example("examples/hegang-justice-2020.json")


def in_english(args) -> list[str]:
    """A command line with ``--lang en`` after the command (``validate``, ``spec lint``): for tests that read
    the English wording of a message; Chinese is the default (tests/test_bad_input.py checks it)."""
    args = [str(a) for a in args]
    at = 2 if args and args[0] == "spec" and len(args) > 1 else 1
    return args[:at] + ["--lang", "en"] + args[at:] if args and "--lang" not in args else args
