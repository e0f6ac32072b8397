"""The committed editor bundle is exactly what `make js` builds from the locked packages."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
BUNDLE = ROOT / "static" / "js" / "coedit.bundle.js"


def test_every_package_is_pinned_to_an_exact_version_and_locked():
    manifest = json.loads((FRONTEND / "package.json").read_text())
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    for section in ("dependencies", "devDependencies"):
        for name, version in manifest[section].items():
            assert version[0].isdigit(), f"{name} {version} is a range"
            assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_the_committed_bundle_is_what_the_locked_packages_build(tmp_path):
    esbuild = FRONTEND / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        pytest.skip("frontend/node_modules is not installed (make js installs it)")
    script = json.loads((FRONTEND / "package.json").read_text())["scripts"]["build"]
    args = [a for a in shlex.split(script)[1:] if not a.startswith("--outfile=")]
    out = tmp_path / "bundle.js"
    subprocess.run([str(esbuild), *args, f"--outfile={out}"], cwd=FRONTEND, check=True)
    assert out.read_bytes() == BUNDLE.read_bytes(), "run `make js` and commit the bundle"
