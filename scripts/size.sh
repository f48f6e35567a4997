#!/usr/bin/env bash
# Prints the first-load size of the release build (wasm + js + css, raw and brotli) and fails when the
# brotli total exceeds the budget. Size is deterministic, so this is a test, not a benchmark.
# The budget is issue 6's target: 180,000 B brotli for what the browser fetches before the first
# page shows (the split files load when their part of the app is first opened; see
# scripts/split_wasm.py). Lower it as the bundle shrinks; do not raise it without measuring what
# the growth buys.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${SIZE_BUDGET_BYTES:-180000}
python3 - "$BUDGET" <<'PY'
import functools, glob, re, sys, zlib
try:
    import brotli
except ImportError:
    import subprocess
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "brotli"], check=True)
    import brotli
budget = int(sys.argv[1])
# The embed loader and the shadow-root stylesheet are loaded only by a host page that embeds the
# app (instead of boot-*.js and main-*.css); they are reported apart from the first load. So are
# the split files (scripts/split_wasm.py), fetched when their part of the app is first opened.
embed = sorted(glob.glob("dist/dashdeck-embed.js") + glob.glob("dist/embed-*.css"))
lazy = sorted(glob.glob("dist/split_*.wasm") + glob.glob("dist/chunk_*.wasm"))
files = sorted(f for ext in ("wasm", "js", "css") for f in glob.glob(f"dist/*.{ext}") if f not in embed and f not in lazy)
if not files:
    sys.exit("size: no dist/ build; run `make build` first")


@functools.cache
def sizes(f):
    data = open(f, "rb").read()
    return len(data), len(zlib.compress(data, 9)), len(brotli.compress(data, quality=11))


total_raw = total_br = 0
print(f"{'file':44} {'raw':>10} {'gzip':>10} {'brotli':>10}")
for f in files:
    raw, gz, br = sizes(f)
    total_raw += raw; total_br += br
    print(f"{f:44} {raw:>10,} {gz:>10,} {br:>10,}")
print(f"{'first load total':44} {total_raw:>10,} {'':>10} {total_br:>10,}  (budget {budget:,} brotli)")
lazy_raw = lazy_br = 0
for f in lazy:
    raw, gz, br = sizes(f)
    lazy_raw += raw; lazy_br += br
    if f.startswith("dist/split_"):
        print(f"{f + ' (on first use)':44} {raw:>10,} {gz:>10,} {br:>10,}")
# What opening each part fetches: its file and the shared chunks the split loader lists for it.
link = "".join(open(f, encoding="utf-8").read() for f in glob.glob("dist/split-*.js"))
chunk_files = dict(re.findall(r'const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\./([\w.-]+)"', link))
for part, file, deps in re.findall(r'export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\./([\w.-]+)".*?, \[([^\]]*)\]\)\)', link, re.S):
    needed = [file] + [chunk_files[d.strip()] for d in deps.split(",") if d.strip()]
    br = sum(sizes("dist/" + f)[2] for f in needed)
    print(f"{f'opening {part}: {len(needed)} files':44} {'':>10} {'':>10} {br:>10,}")
chunks = [f for f in lazy if f.startswith("dist/chunk_")]
print(f"{f'{len(chunks)} shared chunk_*.wasm (on first use)':44} {'':>10} {'':>10} {sum(sizes(f)[2] for f in chunks):>10,}")
print(f"{'loaded on first use, total':44} {lazy_raw:>10,} {'':>10} {lazy_br:>10,}")
for f in embed:
    raw, gz, br = sizes(f)
    print(f"{f + ' (embedding only)':44} {raw:>10,} {gz:>10,} {br:>10,}")
if total_br > budget:
    sys.exit(f"size: first load is {total_br:,} B brotli, over the {budget:,} B budget")
PY
