"""The simplicity test of polygon footprints: a numpy proof for outlines of many
vertices, GEOS for the others; its answer is always GEOS's."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from zacviz.io import project_file
from zacviz.io.project_file import ring_is_simple

X0, Y0 = 649_000.0, 6_948_000.0


def _ring(angles: np.ndarray, radii: np.ndarray) -> np.ndarray:
    return np.column_stack([X0 + radii * np.cos(angles), Y0 + radii * np.sin(angles)])


def _rings(seed: int, count: int) -> list[np.ndarray]:
    """Outlines of every kind: star-shaped, tangled, winding twice, on a coarse
    grid (collinear edges, repeated vertices), spikes through their centre."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        n = int(rng.integers(3, 400))
        kind = k % 5
        angles = np.sort(rng.uniform(0.0, 2.0 * math.pi, n))
        radii = rng.uniform(1.0, 20.0, n)
        if kind == 1:
            angles = rng.uniform(0.0, 2.0 * math.pi, n)
        elif kind == 2:
            angles = np.sort(rng.uniform(0.0, 4.0 * math.pi, n))
        elif kind == 3:
            angles, radii = np.round(angles * 4.0) / 4.0, np.round(radii / 4.0)
        elif kind == 4:
            radii = rng.uniform(-3.0, 20.0, n)
        ring = _ring(angles, radii)
        out.append(np.round(ring, 1) if kind == 3 else ring)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_the_answer_is_geos_for_every_kind_of_ring(seed, monkeypatch):
    monkeypatch.setattr(project_file, "_PROVE_SIMPLE_FROM", 3)  # every ring tries the proof
    for xy in _rings(seed, 500):
        assert ring_is_simple(xy) == bool(shapely.is_simple(shapely.linearrings(xy)))


def _jagged(n: int = 10_000, turns: float = 1.0) -> np.ndarray:
    i = np.arange(n)
    return _ring(2.0 * math.pi * turns * i / n, np.where(i % 2 == 1, 18.0, 16.0))


def test_a_jagged_star_of_10000_vertices_is_proven_without_geos(monkeypatch):
    def geos_is_too_slow(*args, **kwargs):
        raise AssertionError("GEOS was asked")

    monkeypatch.setattr(shapely, "is_simple", geos_is_too_slow)
    assert ring_is_simple(_jagged())
    assert ring_is_simple(_jagged()[::-1])  # clockwise


def test_a_ring_winding_twice_or_folding_back_goes_to_geos():
    twice = _jagged(10_000, turns=2.0)
    assert not ring_is_simple(twice)
    folded = _jagged()
    folded[5000] = folded[4000]  # a vertex pulled back across its neighbours
    assert not ring_is_simple(folded)
    touching = _jagged()
    touching[7000] = touching[2000]  # two far vertices on one spot
    assert not ring_is_simple(touching)


def test_a_self_intersecting_outline_of_many_vertices_is_refused_naming_the_field():
    ring = _jagged(2_000)
    ring[[100, 1100]] = ring[[1100, 100]]  # two far vertices swapped: their edges cross
    doc = {
        "format": "zacviz-project",
        "version": 1,
        "site": "s",
        "lot": "A1",
        "buildings": [
            {"id": "b1", "use": "office", "height_m": 8.0, "footprint": {"polygon": ring.tolist()}}
        ],
    }
    with pytest.raises(
        project_file.InputError, match=r"^buildings\[0\]\.footprint\.polygon: self-intersecting"
    ):
        project_file.project_from_dict(doc)
    doc["buildings"][0]["footprint"]["polygon"] = _jagged(2_000).tolist()
    assert len(project_file.project_from_dict(doc).buildings[0].footprint.points) == 2_000
