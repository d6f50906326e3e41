"""packaging/share_openssl.sh: hashlib runs on rasterio's OpenSSL in the Linux bundle.

Run on a copy of what the bundle's _internal/ holds (rasterio's vendored
libraries, this Python's _hashlib and the libcrypto.so.3 it links): scrypt must
give the same bytes through rasterio's libcrypto, and only that one be mapped.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.conftest import run_packaging_script

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
    pytest.mark.skipif(shutil.which("objdump") is None, reason="needs objdump (binutils)"),
]

PROBE = r"""
import hashlib
print(hashlib.scrypt(b"1357", salt=b"zacviz-salt", n=1024, r=8, p=1, dklen=32).hex())
for line in open("/proc/self/maps"):
    if "libcrypto" in line:
        print(line.split()[-1])
"""


def _linked_libcrypto(module: Path) -> Path | None:
    out = subprocess.run(["ldd", str(module)], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.strip().startswith("libcrypto.so.3 =>"):
            return Path(line.split("=>")[1].split("(")[0].strip())
    return None


def test_hashlib_hashes_the_same_with_rasterios_libcrypto(tmp_path: Path) -> None:
    spec = importlib.util.find_spec("_hashlib")
    rasterio = importlib.util.find_spec("rasterio")
    assert spec is not None and spec.origin is not None and rasterio is not None and rasterio.origin
    libcrypto = _linked_libcrypto(Path(spec.origin))
    vendored = Path(rasterio.origin).parent.parent / "rasterio.libs"
    if libcrypto is None or not list(vendored.glob("libcrypto-*.so.3")):
        pytest.skip("this Python's hashlib or rasterio's wheel has no libcrypto.so.3")
    internal = tmp_path / "_internal"
    shutil.copytree(vendored, internal / "rasterio.libs", symlinks=True)
    shutil.copy2(libcrypto, internal / "libcrypto.so.3")
    (internal / "lib-dynload").mkdir()
    shutil.copy2(spec.origin, internal / "lib-dynload" / Path(spec.origin).name)

    stdout = run_packaging_script("share_openssl.sh", internal)
    if "not shared" in stdout:  # an older OpenSSL in the wheel: left alone, said so
        assert not (internal / "libcrypto.so.3").is_symlink()
        return
    assert (internal / "libcrypto.so.3").is_symlink(), stdout
    theirs = (internal / "libcrypto.so.3").resolve()
    assert theirs.parent.name == "rasterio.libs"

    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        env={"LD_LIBRARY_PATH": str(internal), "PATH": "/usr/bin:/bin"},
    )
    assert probe.returncode == 0, probe.stderr
    digest, *mapped = probe.stdout.split()
    expected = hashlib.scrypt(b"1357", salt=b"zacviz-salt", n=1024, r=8, p=1, dklen=32).hex()
    assert digest == expected
    assert {Path(p).resolve() for p in mapped} == {theirs}

    assert "already" in run_packaging_script("share_openssl.sh", internal)
