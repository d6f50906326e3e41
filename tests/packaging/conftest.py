"""Helpers of the packaging tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_packaging_script(name: str, internal: Path) -> str:
    """Run ``packaging/<name>`` on a copy of a bundle's ``_internal/`` folder; it must
    succeed. Returns what it printed."""
    proc = subprocess.run(
        ["bash", str(ROOT / "packaging" / name), str(internal)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout
