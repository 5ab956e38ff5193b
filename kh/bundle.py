"""The exchange bundle (docs/exchange.md): one file carrying a unit's figures, reports sent and
tasks done for one period, from a commune's store to the province's, with a manifest of SHA-256
sums and an optional Ed25519 signature. Pure functions: no store, no clock.

The file is UTF-8 JSON in one canonical form (keys sorted, one-space indent, a final newline):
the same content always gives the same bytes, and a file that is not in that form (one byte
changed anywhere) is refused. ``cryptography`` is imported only where a key is used.
"""

from __future__ import annotations

import base64
import hashlib
import json

from kh.errors import KhError

FORMAT = "kh-bundle"
VERSION = 1
KEY_FORMAT = "kh-key"
PARTS = ("figures", "reports", "tasks")


def canonical(obj) -> bytes:
    """The one byte form of a JSON value: what sums and signatures are taken over."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def file_bytes(bundle: dict) -> bytes:
    return (json.dumps(bundle, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(manifest: dict, parts: dict[str, list]) -> dict:
    """A bundle without a signature: the manifest gains the SHA-256 of every part."""
    manifest = {**manifest, "format": FORMAT, "version": VERSION,
                "parts": {name: sha256(canonical(parts[name])) for name in PARTS}}
    return {"manifest": manifest, "parts": {name: parts[name] for name in PARTS}, "signature": None}


# --- keys -----------------------------------------------------------------------------------

def fingerprint(public_raw: bytes) -> str:
    """A short name for a public key, shown in kh history: 16 hex digits of its SHA-256."""
    return sha256(public_raw)[:16]


def new_key_pair(unit: str) -> tuple[bytes, bytes]:
    """(private key file, public key file) for ``unit``: small JSON documents naming the unit."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                            serialization.NoEncryption())
    pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    common = {"format": KEY_FORMAT, "version": VERSION, "unit": unit, "fingerprint": fingerprint(pub)}
    private = {**common, "kind": "private", "ed25519": base64.b64encode(raw).decode()}
    public = {**common, "kind": "public", "ed25519": base64.b64encode(pub).decode()}
    return file_bytes(private), file_bytes(public)


def read_key(data: bytes, kind: str, where: str) -> tuple[str, bytes]:
    """(unit, raw key) from a key file of ``kind`` (private | public), or a one-line refusal."""
    try:
        doc = json.loads(data.decode("utf-8"))
        ok = (isinstance(doc, dict) and doc.get("format") == KEY_FORMAT and doc.get("kind") == kind
              and isinstance(doc.get("unit"), str))
        raw = base64.b64decode(doc["ed25519"], validate=True) if ok else b""
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        ok, raw = False, b""
    if not ok or len(raw) != 32:
        what = "private key (.key)" if kind == "private" else "public key (.pub)"
        raise KhError(f"not a kh {what} file (kh admin keys writes them)", where=where)
    return doc["unit"], raw


def public_of(private_raw: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(private_raw)
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def sign(bundle: dict, unit: str, private_raw: bytes) -> dict:
    """The bundle signed by ``unit``'s key: over the canonical manifest (which holds the parts'
    sums), so that no part can change without the signature failing. Ed25519 is deterministic:
    signing the same bundle twice gives the same bytes."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(private_raw)
    signature = key.sign(canonical(bundle["manifest"]))
    return {**bundle, "signature": {"unit": unit, "key": fingerprint(public_of(private_raw)),
                                    "ed25519": base64.b64encode(signature).decode()}}


def verify(bundle: dict, public_raw: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        signature = base64.b64decode(bundle["signature"]["ed25519"], validate=True)
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, canonical(bundle["manifest"]))
        return True
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return False


# --- reading --------------------------------------------------------------------------------

def read(data: bytes, where: str) -> dict:
    """Parse and check a bundle's form and sums (not its signature: that needs the store's
    trusted keys). Every refusal is one line naming the file."""
    try:
        bundle = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise KhError("not a kh bundle: the file is not JSON (damaged, or another kind of file)",
                      where=where) from None
    manifest = bundle.get("manifest") if isinstance(bundle, dict) else None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise KhError("not a kh bundle (kh bundle export writes them)", where=where)
    if manifest.get("version") != VERSION:
        raise KhError(f"bundle format version {manifest.get('version')!r}: this kh reads version {VERSION}; "
                      f"upgrade kh", where=where)
    parts = bundle.get("parts")
    sums = manifest.get("parts")
    if not isinstance(parts, dict) or not isinstance(sums, dict) or set(parts) != set(PARTS) \
            or set(sums) != set(PARTS):
        raise KhError("the bundle is damaged: its parts do not match its manifest", where=where)
    for name in PARTS:
        if not isinstance(parts[name], list) or sha256(canonical(parts[name])) != sums[name]:
            raise KhError(f"the bundle is damaged or altered: the SHA-256 of its {name} does not match "
                          f"its manifest; nothing was imported", where=where)
    if file_bytes(bundle) != data:
        raise KhError("the bundle is damaged or altered: it is not byte for byte as kh wrote it; "
                      "nothing was imported", where=where)
    for key in ("unit", "period", "plans", "units", "assignees", "made_at"):
        if key not in manifest:
            raise KhError(f"the bundle is damaged: its manifest has no {key}", where=where)
    return bundle
