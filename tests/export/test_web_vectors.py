"""The rule-engine vectors the JavaScript tests run (web/tests/vectors.json)
must be what the Python engine gives today: a change to the engine without
regenerating them fails here, and a JavaScript engine that drifts fails in
``node --test web/tests/``."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from zacviz.rules.table import RULE_IDS

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "web" / "scripts" / "make_vectors.py"
VECTORS = ROOT / "web" / "tests" / "vectors.json"


def load_generator():
    spec = importlib.util.spec_from_file_location("make_vectors", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vectors_are_up_to_date_with_the_python_engine():
    generator = load_generator()
    fresh = json.loads(generator.dumps(generator.build_vectors(ROOT)))
    stored = json.loads(VECTORS.read_text(encoding="utf-8"))
    assert len(stored["cases"]) == len(fresh["cases"])
    for want, got in zip(fresh["cases"], stored["cases"], strict=True):
        assert got == want, f"{want['name']}: run `python web/scripts/make_vectors.py`"
    assert stored == fresh, "run `python web/scripts/make_vectors.py`"


def test_vectors_cover_every_verdict_of_every_rule():
    stored = json.loads(VECTORS.read_text(encoding="utf-8"))
    seen = {(r["id"], r["ok"]) for c in stored["cases"] for r in c["expected"]["en"]["rules"]}
    for rule in RULE_IDS:
        assert (rule, True) in seen and (rule, False) in seen, rule
    assert any(c["expected"]["en"]["compliant"] for c in stored["cases"])
