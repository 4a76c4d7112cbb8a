#!/usr/bin/env python3
"""Trunk post-build hook: puts a Content-Security-Policy in the built index.html.

The page may load only its own files: scripts from its own origin plus the one inline module
script Trunk writes to start the WebAssembly (allowed by its SHA-256, computed here because its
text names the build's hashed files), WebAssembly compilation, its own stylesheet, requests to its
own origin (published files), its own service worker, images only as data: URLs. Nothing else,
no plugins, no <base>, no form posts. The policy is a <meta> placed first in <head>, before any
script, so it covers them all.
"""

import base64
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging:
    sys.exit("csp.py runs as a Trunk post_build hook (TRUNK_STAGING_DIR is not set)")
path = os.path.join(staging, "index.html")
with open(path, encoding="utf-8") as f:
    html = f.read()

scripts = re.findall(r"<script type=\"module\">(.*?)</script>", html, re.S)
if len(scripts) != 1:
    sys.exit(f"csp.py: expected one inline module script in {path}, found {len(scripts)}")
digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()

policy = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' 'wasm-unsafe-eval' 'sha256-{digest}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)
meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
if "Content-Security-Policy" in html:
    sys.exit("csp.py: index.html already has a Content-Security-Policy")
html = html.replace('<meta charset="utf-8" />', f'<meta charset="utf-8" />\n    {meta}', 1)
if meta not in html:
    sys.exit("csp.py: no <meta charset> to put the policy after")
with open(path, "w", encoding="utf-8") as f:
    f.write(html)
