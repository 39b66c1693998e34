"""Encrypted reports: the report of an encrypted audit is written as ciphertext only.

When an audit has a passphrase, ``report.html`` is a small page that holds the
rendered report encrypted with AES-256-GCM, under a key derived from the same
passphrase with PBKDF2-HMAC-SHA256 (600,000 iterations, random 16-byte salt,
random 12-byte nonce). The page asks for the passphrase and decrypts in the
browser with the Web Crypto API, then replaces itself with the report. Nothing
personal is in the file in clear: not the findings, not the output folder's path.

``report.json`` is encrypted the same way into ``report.json.enc`` (a JSON
envelope, readable with ``decrypt``); no clear ``report.json`` is written, and a
stale one from an earlier unencrypted audit into the same folder is removed.
"""

from __future__ import annotations

import base64
import json
import os
import unicodedata
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from ..outputs import write_atomic

ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-HMAC-SHA256
FORMAT = "reflet-encrypted-v1"
HTML_NAME, JSON_NAME, JSON_ENC_NAME = "report.html", "report.json", "report.json.enc"


class WrongPassphrase(ValueError):
    """The passphrase does not open this envelope (or the envelope was altered)."""


def derive_key(passphrase: str, salt: bytes, iterations: int = ITERATIONS) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    # NFC on both sides (here and in the page): "é" typed as one or two code points opens the same report.
    return kdf.derive(unicodedata.normalize("NFC", passphrase).encode("utf-8"))


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def seal(data: bytes, key: bytes, salt: bytes, iterations: int = ITERATIONS) -> dict[str, Any]:
    """Encrypt ``data`` into a JSON-able envelope (a fresh nonce every call)."""
    nonce = os.urandom(12)
    ct = AESGCM(key).encrypt(nonce, data, None)  # ciphertext || 16-byte tag, as Web Crypto expects
    return {"format": FORMAT, "cipher": "AES-256-GCM", "kdf": "PBKDF2-HMAC-SHA256", "iterations": iterations,
            "salt": _b64(salt), "nonce": _b64(nonce), "ciphertext": _b64(ct)}


def encrypt(data: bytes, passphrase: str, *, iterations: int = ITERATIONS) -> dict[str, Any]:
    salt = os.urandom(16)
    return seal(data, derive_key(passphrase, salt, iterations), salt, iterations)


def decrypt(envelope: dict[str, Any], passphrase: str) -> bytes:
    """The clear bytes of an envelope; ``WrongPassphrase`` if it does not open."""
    if envelope.get("format") != FORMAT:
        raise ValueError("not a reflet encrypted file")
    salt = base64.b64decode(envelope["salt"])
    key = derive_key(passphrase, salt, int(envelope["iterations"]))
    try:
        return AESGCM(key).decrypt(base64.b64decode(envelope["nonce"]), base64.b64decode(envelope["ciphertext"]),
                                   None)
    except InvalidTag:
        raise WrongPassphrase("wrong passphrase, or the file was changed") from None


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="referrer" content="no-referrer">
<title>reflet: encrypted report</title>
<style>
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d232a; background: #fbfaf7;
  margin: 0; }
main { max-width: 32rem; margin: 4rem auto; padding: 1rem; }
h1 { font-size: 1.5rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
input { font: inherit; width: 100%; padding: .5rem; border: 1px solid #5b6570; border-radius: 4px; }
button { font: inherit; margin-top: .8rem; padding: .45rem 1.2rem; border-radius: 4px; border: 0;
  background: #1d4f7a; color: #fff; cursor: pointer; }
#msg { min-height: 1.5rem; margin-top: .8rem; }
#msg.error { color: #9b1c1c; font-weight: 600; }
.muted { color: #5b6570; font-size: .9rem; }
</style>
</head>
<body>
<main>
<h1>Your reflet report is encrypted</h1>
<p>It opens only with the passphrase you chose for the audit. Decryption happens in this browser;
nothing is sent anywhere.</p>
<form id="unlock" autocomplete="off">
<label for="pw">Passphrase</label>
<input id="pw" name="pw" type="password" required autofocus>
<button id="open" type="submit">Open the report</button>
<p id="msg" role="status" aria-live="polite"></p>
</form>
<p class="muted">Forgot the passphrase? Nobody can recover it. Run the audit again on your exports.</p>
</main>
<script type="application/json" id="reflet-payload">__PAYLOAD__</script>
<script>
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("reflet-payload").textContent);
  var form = document.getElementById("unlock"), msg = document.getElementById("msg");
  var button = document.getElementById("open");
  function bytes(s) { return Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); }); }
  function say(text, isError) { msg.textContent = text; msg.className = isError ? "error" : ""; }
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    if (!window.crypto || !crypto.subtle) {
      say("This browser cannot decrypt the report (Web Crypto is unavailable). Open the file in a recent " +
          "Firefox, Chrome or Safari.", true);
      return;
    }
    button.disabled = true;
    say("Opening…", false);
    var html;
    try {
      var pw = new TextEncoder().encode(document.getElementById("pw").value.normalize("NFC"));
      var base = await crypto.subtle.importKey("raw", pw, "PBKDF2", false, ["deriveBits"]);
      var bits = await crypto.subtle.deriveBits({name: "PBKDF2", hash: "SHA-256", salt: bytes(payload.salt),
        iterations: payload.iterations}, base, 256);
      var key = await crypto.subtle.importKey("raw", bits, {name: "AES-GCM"}, false, ["decrypt"]);
      var clear = await crypto.subtle.decrypt({name: "AES-GCM", iv: bytes(payload.nonce)}, key,
        bytes(payload.ciphertext));
      html = new TextDecoder().decode(clear);
    } catch (e) {
      button.disabled = false;
      say("Wrong passphrase: the report could not be opened. Check it (and the keyboard layout) and try again.",
          true);
      return;
    }
    // Replace this page with the report; this page's policy (no network) stays in force.
    document.open();
    document.write(html);
    document.close();
  });
})();
</script>
</body>
</html>
"""


def locked_page(envelope: dict[str, Any]) -> str:
    """The self-contained page that asks for the passphrase and shows the report."""
    # Base64 and JSON punctuation only: nothing in the payload can close the script element.
    return _PAGE.replace("__PAYLOAD__", json.dumps(envelope, separators=(",", ":")))


def write_outputs(out: Path, html: str, json_text: str, passphrase: str | None) -> tuple[Path, Path]:
    """Write the report files: in clear, or (with a passphrase) encrypted. Returns (html, json) paths."""
    html_path = out / HTML_NAME
    if passphrase is None:
        json_path = out / JSON_NAME
        # Whole or not at all (Ctrl-C, full disk): a temporary name, then a rename.
        write_atomic(html_path, html)
        write_atomic(json_path, json_text)
        stale = out / JSON_ENC_NAME
    else:
        salt = os.urandom(16)
        key = derive_key(passphrase, salt)  # one derivation, a fresh nonce per file
        json_path = out / JSON_ENC_NAME
        write_atomic(html_path, locked_page(seal(html.encode("utf-8"), key, salt)))
        write_atomic(json_path, json.dumps(seal(json_text.encode("utf-8"), key, salt)))
        stale = out / JSON_NAME  # an earlier clear report must not outlive the switch to encryption
    if stale.exists():
        stale.unlink()
    for p in (html_path, json_path):
        os.chmod(p, 0o600)
    return html_path, json_path


__all__ = ["ITERATIONS", "WrongPassphrase", "decrypt", "encrypt", "locked_page", "write_outputs"]
