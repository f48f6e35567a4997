#!/usr/bin/env python3
"""trunk post_build hook: moves trunk's inline `<script type="module">` loader into a file
(`boot-<hash>.js`), so index.html's Content-Security-Policy can forbid inline scripts.
With CSP_CONNECT_SRC set (e.g. "https://posthog.example.com"), adds those hosts to connect-src
and frame-src for a self-hosted deployment."""
import hashlib, os, re, sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
index = os.path.join(staging, "index.html")
html = open(index, encoding="utf-8").read()
inline = re.compile(r"<script type=\"?module\"?>(.*?)</script>", re.S)
found = inline.findall(html)
if len(found) != 1:
    sys.exit(f"csp-loader: expected one inline module script in {index}, found {len(found)}")
code = found[0].strip() + "\n"
name = f"boot-{hashlib.sha256(code.encode()).hexdigest()[:16]}.js"
open(os.path.join(staging, name), "w", encoding="utf-8").write(code)
html = inline.sub(f'<script type="module" src="{name}"></script>', html)
extra = os.environ.get("CSP_CONNECT_SRC", "").strip()
if extra:
    html = re.sub(r"(connect-src|frame-src) ", lambda m: f"{m.group(0)}{extra} ", html)
if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html):
    sys.exit("csp-loader: an inline script is left in index.html")
open(index, "w", encoding="utf-8").write(html)
