"""A mirror's manifest: every file's path, size and SHA-256, signed; and the
check of a copy against it.

`manifest.json` lists every other file of the mirror; `manifest.json.sig` is the
Ed25519 signature of manifest.json's exact bytes, in base64. A reader who trusts
the public key trusts the manifest, and through the hashes every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from exitwatch.lib.formatting import iso_z
from mirror.signing import signature_valid

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
FORMAT = 1


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _walk(root: Path) -> tuple[dict[str, Path], list[str]]:
    """Every regular file under `root` by its path relative to it (manifest and
    signature left out), and everything else there is: symbolic links, to files
    or folders, and special files. A host could otherwise slip its own pages in
    through a link the walk would not look into, or one it would follow out."""
    files: dict[str, Path] = {}
    odd: list[str] = []
    for folder, folders, names in os.walk(root):  # links are not followed
        base = Path(folder)
        odd += [
            (base / name).relative_to(root).as_posix()
            for name in folders
            if (base / name).is_symlink()
        ]
        for name in names:
            path = base / name
            relative = path.relative_to(root).as_posix()
            if not stat.S_ISREG(path.lstat().st_mode):
                odd.append(relative)
            elif relative not in (MANIFEST, SIGNATURE):
                files[relative] = path
    return dict(sorted(files.items())), sorted(odd)


def manifest_bytes(
    *, root: Path, made_at: datetime, site_url: str, public_key: str
) -> bytes:
    files = [
        {"path": name, "size": path.stat().st_size, "sha256": _sha256(path)}
        for name, path in _walk(root)[0].items()
    ]
    document = {
        "format": FORMAT,
        "made_at": iso_z(made_at),
        "site_url": site_url,
        "public_key": public_key,
        "files": files,
    }
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode()


@dataclass(frozen=True)
class Check:
    files: int  # files the manifest lists
    problems: list[str]  # one line each; none means the copy is genuine
    made_at: str


def mirror_check(*, root: Path, public_key: str) -> Check:
    """Is the copy at `root` the one the holder of `public_key` signed, whole?"""
    manifest_path, signature_path = root / MANIFEST, root / SIGNATURE
    if not manifest_path.is_file():
        return Check(0, [f"{MANIFEST} is missing: this is not a mirror"], "")
    raw = manifest_path.read_bytes()
    problems = []
    if not signature_path.is_file():
        problems.append(f"{SIGNATURE} is missing: the manifest is not signed")
    elif not signature_valid(public_key, raw, signature_path.read_text()):
        problems.append(
            f"{SIGNATURE} does not match {MANIFEST} for key {public_key}: "
            "not signed by this key, or changed since"
        )
    try:
        manifest = json.loads(raw)
        listed = {item["path"]: item for item in manifest["files"]}
    except (ValueError, KeyError, TypeError):
        return Check(0, [*problems, f"{MANIFEST} is not a manifest"], "")
    present, odd = _walk(root)
    problems += [f"not a plain file: {name} (a link or a special file)" for name in odd]
    for name, item in sorted(listed.items()):
        path = present.get(name)
        if path is None:
            problems.append(f"missing: {name}")
        elif path.stat().st_size != item["size"] or _sha256(path) != item["sha256"]:
            problems.append(f"changed: {name} (its SHA-256 is not the manifest's)")
    problems += [
        f"extra: {name} (not in the manifest)"
        for name in sorted(set(present) - set(listed))
    ]
    return Check(len(listed), problems, str(manifest.get("made_at", "")))
