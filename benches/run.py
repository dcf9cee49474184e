#!/usr/bin/env python3
"""Benchmark: trailguard on repositories of several shapes and two sizes, against ripgrep
reading the same tree.

Usage: python3 benches/run.py [SHAPE ...]      (default: every shape)
       TRAILGUARD_BENCH_BIN=PATH python3 benches/run.py ...   (another build, to compare)

Shapes: `corpus` (examples/gen_corpus.rs, 1,000 and 10,000 files) and those of
benches/shapes.py, an independent generator: default, cfn-heavy, large-stacks, shared-names,
one-module, flat, plan, noise, statements, template, central, modules (each at scale 1 and
10). Needs `rg` on PATH (`cargo install ripgrep`).

Builds the release binary, generates each tree under target/bench/ (kept between runs), warms
the page cache, then prints for each shape and size the median of 5 runs: files, MB, wall
seconds, CPU seconds, peak RSS, the wall time of `rg -c cloudtrail.amazonaws.com` over the
same tree (median of 5), trailguard's ratio to it, the growth from the small to the large
size, and for the large size the time of a pre-commit style run on one file of the tree
(median of 11, process start included).
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
BIN = os.environ.get("TRAILGUARD_BENCH_BIN") or os.path.join(ROOT, "target/release/trailguard")
OUT = os.path.join(ROOT, "target/bench")
SHAPES = ["corpus", "default", "cfn-heavy", "large-stacks", "shared-names", "one-module", "flat",
          "plan", "noise", "statements", "template", "central", "modules"]


def run(cmd):
    """Wall seconds and CPU seconds of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_of(cmd, n=5):
    runs = [run(cmd) for _ in range(n)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def peak_rss(cmd):
    """Peak RSS (MB) of one run, measured in a fresh process (ru_maxrss of children is the
    largest child so far)."""
    code = ("import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code] + cmd, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024.0


def generate(shape, scale):
    tree = os.path.join(OUT, f"{shape}-{scale}")
    if not os.path.isdir(tree):
        tmp = tree + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        if shape == "corpus":
            gen = os.path.join(ROOT, "target/release/examples/gen_corpus")
            subprocess.run([gen, "--files", str(1000 * scale), tmp], check=True, stderr=subprocess.DEVNULL)
        else:
            subprocess.run([sys.executable, os.path.join(ROOT, "benches/shapes.py"), shape, str(scale), tmp], check=True)
        os.rename(tmp, tree)
    return tree


def measure(tree):
    files = [os.path.join(d, f) for d, _, fs in os.walk(tree) if "/.git" not in d for f in fs]
    size = sum(os.path.getsize(f) for f in files)
    scan = [BIN, "scan", "--format", "json", "--output", "/dev/null", tree]
    rg = ["rg", "-c", "cloudtrail.amazonaws.com", tree]
    run(["sh", "-c", f"find '{tree}' -type f -print0 | xargs -0 cat > /dev/null"])  # warm the cache
    run(scan)
    rg_wall, _ = median_of(rg)
    wall, cpu = median_of(scan)
    rss = peak_rss(scan)
    one = next((f for f in sorted(files) if f.endswith((".tf", ".yaml", ".json")) and "/.terraform/" not in f), None)
    one_wall = median_of([BIN, "scan", "--format", "json", "--output", "/dev/null", one], n=11)[0] if one else 0
    return len(files), size, wall, cpu, rss, rg_wall, one_wall


def main():
    shapes = sys.argv[1:] or SHAPES
    if shutil.which("rg") is None:
        sys.exit("rg (ripgrep) is not on PATH: cargo install ripgrep")
    # Two builds, the binary last: built together with the example, the binary would get the
    # features the dev-dependencies turn on in shared crates (hashbrown, serde_json, regex…), a
    # different and here 5-7 % slower binary than the `cargo build --release` users run.
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "gen_corpus"], check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "trailguard"], check=True)
    os.makedirs(OUT, exist_ok=True)
    print(f"| shape | files | MB | wall s | CPU s | peak RSS MB | rg s | × rg | growth | 1 file ms |")
    print(f"|---|---|---|---|---|---|---|---|---|---|")
    for shape in shapes:
        small = None
        for scale in (1, 10):
            n, size, wall, cpu, rss, rg_wall, one_wall = measure(generate(shape, scale))
            growth = f"{wall / small:.1f}×" if small else ""
            one = f"{one_wall * 1000:.1f}" if scale == 10 else ""
            print(f"| {shape} ×{scale} | {n} | {size / 1e6:.1f} | {wall:.3f} | {cpu:.3f} | {rss:.0f} | {rg_wall:.3f} | {wall / rg_wall:.1f} | {growth} | {one} |", flush=True)
            small = wall


if __name__ == "__main__":
    main()
