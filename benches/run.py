#!/usr/bin/env python3
"""Benchmark: trailguard on a generated repository of N files, against the floor of merely
reading the same files.

Usage: python3 benches/run.py [N ...]          (default: 1000 10000)

Builds the release binary and the corpus generator, generates target/bench-corpus-N (see
examples/gen_corpus.rs), warms the page cache, then reports for each N the median of 5 runs:
wall time, CPU time, files/s, MB/s, peak RSS, the read floor (every file read once with `cat`
through xargs, and `grep -r` for one word, as ripgrep would), trailguard's ratio to the floor,
and the time of a pre-commit style run on one file of the repository.
"""
import os, resource, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
BIN = os.path.join(ROOT, "target/release/trailguard")


def run(cmd, **kw):
    """Wall seconds, CPU seconds and peak RSS (MB) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024.0, p.returncode


def median_of(cmd, n=5, **kw):
    runs = [run(cmd, **kw) for _ in range(n)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    # ru_maxrss of children is the largest child so far: measure peak in a fresh process.
    return wall, cpu


def peak_rss(cmd):
    code = ("import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code] + cmd, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024.0


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000]
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "trailguard", "--example", "gen_corpus"], check=True)
    gen = os.path.join(ROOT, "target/release/examples/gen_corpus")
    results = []
    for n in sizes:
        corpus = os.path.join(ROOT, f"target/bench-corpus-{n}")
        subprocess.run([gen, "--files", str(n), corpus], check=True, stderr=subprocess.DEVNULL)
        files = [os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs]
        size = sum(os.path.getsize(f) for f in files)
        floor_cmd = ["sh", "-c", f"find '{corpus}' -type f -print0 | xargs -0 cat > /dev/null"]
        grep_cmd = ["grep", "-r", "-l", "AWSLogs", corpus]
        scan_cmd = [BIN, "scan", "--format", "json", "--output", "/dev/null", corpus]
        run(floor_cmd)  # warm the cache
        run(scan_cmd)
        floor_wall, _ = median_of(floor_cmd)
        grep_wall, _ = median_of(grep_cmd)
        wall, cpu = median_of(scan_cmd)
        rss = peak_rss(scan_cmd)
        one = next(f for f in sorted(files) if f.endswith("logging.tf"))
        one_wall, _ = median_of([BIN, "scan", "--format", "json", "--output", "/dev/null", one], n=11)
        results.append((n, len(files), size, wall, cpu, rss, floor_wall, grep_wall, one_wall))
    print(f"{'files':>7} {'MB':>6} {'wall s':>7} {'cpu s':>6} {'files/s':>8} {'MB/s':>6} {'RSS MB':>7} {'cat s':>6} {'grep s':>6} {'x grep':>6} {'1 file ms':>9}")
    for n, count, size, wall, cpu, rss, floor_wall, grep_wall, one_wall in results:
        mb = size / 1e6
        print(f"{count:>7} {mb:>6.1f} {wall:>7.3f} {cpu:>6.3f} {count / wall:>8.0f} {mb / wall:>6.1f} {rss:>7.1f} {floor_wall:>6.3f} {grep_wall:>6.3f} {wall / max(grep_wall, floor_wall):>6.1f} {one_wall * 1000:>9.1f}")
    if len(results) >= 2:
        a, b = results[0], results[-1]
        print(f"scaling: {b[1] / a[1]:.1f}x the files took {b[3] / a[3]:.1f}x the time")


if __name__ == "__main__":
    main()
