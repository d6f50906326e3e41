"""Deterministic value noise anchored to map coordinates.

The image is drawn band by band; textures must not depend on where a band
starts. So instead of drawing random numbers in sequence, every lattice node
gets its value from a hash of its *map* coordinates and a seed: any window of
the map gets the same texture, and two runs give the same bytes.
"""

from __future__ import annotations

import numpy as np

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)
_F1 = np.uint64(0xFF51AFD7ED558CCD)
_F2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_S40 = np.uint64(40)


def hash2(ix: np.ndarray, iy: np.ndarray, seed: int) -> np.ndarray:
    """Uniform float32 in [0, 1) for each integer lattice node (murmur3 finaliser)."""
    ix, iy = np.broadcast_arrays(np.asarray(ix, np.int64), np.asarray(iy, np.int64))
    h = ix.view(np.uint64) * _M1
    h ^= iy.view(np.uint64) * _M2
    h ^= np.uint64((seed * 0x165667B19E3779F9) & 0xFFFFFFFFFFFFFFFF)
    h ^= h >> _S33
    h *= _F1
    h ^= h >> _S33
    h *= _F2
    h ^= h >> _S33
    return (h >> _S40).astype(np.float32) * np.float32(1.0 / (1 << 24))


def _fade(t: np.ndarray) -> np.ndarray:
    return t * t * (3.0 - 2.0 * t)


def _catmull_rom(t: np.ndarray) -> tuple[np.ndarray, ...]:
    """Weights of the four neighbouring nodes (-1, 0, 1, 2) at fraction ``t``."""
    t2 = t * t
    t3 = t2 * t
    return (
        0.5 * (-t3 + 2 * t2 - t),
        0.5 * (3 * t3 - 5 * t2 + 2),
        0.5 * (-3 * t3 + 4 * t2 + t),
        0.5 * (t3 - t2),
    )


def grid_noise(xs: np.ndarray, ys: np.ndarray, scale: float, seed: int) -> np.ndarray:
    """Smooth value noise, about [-1, 1], on the grid ``ys × xs`` (map metres).

    ``xs`` are the pixel-centre eastings of the columns, ``ys`` the northings of
    the rows; the lattice step is ``scale`` metres and its origin is shifted by
    the seed, so octaves never share lattice lines (which would show as a grid).
    Cubic (Catmull-Rom) interpolation, separable: two passes over the output.
    """
    shift = hash2(np.array([seed]), np.array([7]), 1)[0], hash2(np.array([seed]), np.array([11]), 2)[0]
    u = np.asarray(xs, np.float64) / scale + float(shift[0]) * 97.0
    v = np.asarray(ys, np.float64) / scale + float(shift[1]) * 97.0
    iu = np.floor(u).astype(np.int64)
    iv = np.floor(v).astype(np.int64)
    wu = _catmull_rom((u - iu).astype(np.float32))
    wv = _catmull_rom((v - iv).astype(np.float32))
    u0, v0 = int(iu.min()) - 1, int(iv.min()) - 1
    nu, nv = int(iu.max()) - u0 + 3, int(iv.max()) - v0 + 3
    gu, gv = np.meshgrid(np.arange(u0, u0 + nu), np.arange(v0, v0 + nv))
    lattice = hash2(gu, gv, seed) * 2.0 - 1.0  # (nv, nu)
    along = _interpolate(lattice.T, iu - u0, wu).T  # (nv, W)
    return _interpolate(along, iv - v0, wv)


def _interpolate(nodes: np.ndarray, index: np.ndarray, weights: tuple[np.ndarray, ...]) -> np.ndarray:
    """Rows of the output from rows ``index - 1 .. index + 2`` of ``nodes``, weighted.

    Few nodes (a coarse lattice): one small matrix product. Many: gathers.
    """
    n_out, n_nodes = len(index), nodes.shape[0]
    if n_nodes <= 160:
        mix = np.zeros((n_out, n_nodes), np.float32)
        rows = np.arange(n_out)
        for k in range(4):
            np.add.at(mix, (rows, index + (k - 1)), weights[k])
        return mix @ nodes.astype(np.float32)
    out = nodes[index - 1] * weights[0][:, None]
    for k in range(1, 4):
        out += nodes[index + (k - 1)] * weights[k][:, None]
    return out.astype(np.float32, copy=False)


def fbm(
    xs: np.ndarray,
    ys: np.ndarray,
    scales: tuple[float, ...],
    seed: int,
    gains: tuple[float, ...] | None = None,
) -> np.ndarray:
    """Sum of octaves of :func:`grid_noise`, normalised to about [-1, 1]."""
    if gains is None:
        gains = tuple(0.55**k for k in range(len(scales)))
    out = np.zeros((len(ys), len(xs)), np.float32)
    step = abs(float(xs[1] - xs[0])) if len(xs) > 1 else 0.0
    for k, (s, g) in enumerate(zip(scales, gains)):
        # Detail much finer than a pixel averages out inside it: skip it (and
        # its cost, which grows with the lattice, not with the pixels).
        if s < 0.5 * step:
            continue
        out += np.float32(g) * grid_noise(xs, ys, s, seed * 31 + k * 7919)
    # Standard deviation about 0.35 whatever the octaves, extremes about ±1.2.
    return out * np.float32(1.25 / sum(gains))


def point_noise(u: np.ndarray, v: np.ndarray, seed: int) -> np.ndarray:
    """Smooth value noise in [-1, 1] at arbitrary lattice coordinates (any frame).

    Used for textures that follow a field's drill direction, where the lattice
    is turned with the rows.
    """
    iu = np.floor(u).astype(np.int64)
    iv = np.floor(v).astype(np.int64)
    tu = _fade((u - iu).astype(np.float32))
    tv = _fade((v - iv).astype(np.float32))
    a = hash2(iu, iv, seed)
    b = hash2(iu + 1, iv, seed)
    c = hash2(iu, iv + 1, seed)
    d = hash2(iu + 1, iv + 1, seed)
    top = a + (b - a) * tu
    bottom = c + (d - c) * tu
    return (top + (bottom - top) * tv) * 2.0 - 1.0
