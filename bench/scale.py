"""Scale run: peak memory of `zhie run` on a large generated corpus, and resume after SIGKILL.

1. Generates --articles articles (bench/make_corpus.py) unless --corpus is given.
2. Runs `zhie run` on them as a subprocess and samples, every 0.2 s, the resident set size
   (RSS) and proportional set size (PSS: shared pages split between the processes that share
   them) of the run and all its worker processes; prints the peaks of their sums.
3. With --kill-after SECONDS: runs again into a second folder, kills that run and its workers
   with SIGKILL after SECONDS, runs it again to the end and compares every table with step 2's,
   byte for byte.

    python bench/scale.py --articles 20000 --jobs 2 --ner jieba --kill-after 120 --work /tmp/zhie-scale
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def tree_memory(pid: int) -> tuple[int, int, int]:
    """(sum of RSS, sum of PSS, largest RSS) over the process and its descendants."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0, 0
    rss = pss = largest = 0
    for proc in procs:
        try:
            info = proc.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        largest = max(largest, info.rss)
    return rss, pss, largest


def command(corpus: Path, out: Path, args) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "zhie",
        "run",
        str(corpus),
        "--out",
        str(out),
        "--quiet",
        "--format",
        args.format,
    ]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    if args.ner:
        cmd += ["--ner", args.ner]
    return cmd


def watched_run(cmd: list[str], kill_after: float | None = None) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = {"rss": 0, "pss": 0, "largest": 0}
    killed = False
    while proc.poll() is None:
        rss, pss, largest = tree_memory(proc.pid)
        peak = {
            "rss": max(peak["rss"], rss),
            "pss": max(peak["pss"], pss),
            "largest": max(peak["largest"], largest),
        }
        if kill_after is not None and time.perf_counter() - started >= kill_after:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
            proc.wait()
            break
        time.sleep(0.2)
    stderr = proc.stderr.read()
    proc.stderr.close()
    return {
        "seconds": time.perf_counter() - started,
        "returncode": proc.returncode,
        "killed": killed,
        "stderr": stderr.strip(),
        **peak,
    }


def show(name: str, result: dict) -> None:
    mib = 2**20
    print(
        f"{name}: {result['seconds']:.0f} s, exit {result['returncode']}, peak RSS sum {result['rss'] / mib:,.0f} MiB, "
        f"peak PSS sum {result['pss'] / mib:,.0f} MiB, largest process {result['largest'] / mib:,.0f} MiB"
    )
    if result["stderr"]:
        print("  " + result["stderr"].splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, default=20000, help="articles to generate (default 20000)"
    )
    parser.add_argument("--corpus", type=Path, help="use this folder instead of generating one")
    parser.add_argument("--work", type=Path, default=Path("/tmp/zhie-scale"), help="working folder")
    parser.add_argument("--jobs", type=int, help="--jobs of the runs (default: zhie's, all cores)")
    parser.add_argument("--ner", choices=["crf", "jieba", "none"], help="NER backend")
    parser.add_argument("--format", default="csv", help="--format of the runs (default csv)")
    parser.add_argument(
        "--kill-after",
        type=float,
        help="also kill a run after this many seconds, resume it, compare",
    )
    args = parser.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus
    if corpus is None:
        from make_corpus import make_corpus

        corpus = args.work / f"corpus-{args.articles}"
        if not corpus.exists():
            paths = make_corpus(corpus, args.articles, seed=0)
            print(f"generated {len(paths)} articles in {corpus}")
    files = sorted(corpus.rglob("*.txt"))
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    print(
        f"corpus: {len(files)} articles, {chars:,} characters, {sum(p.stat().st_size for p in files) / 2**20:,.1f} MiB"
    )

    whole = args.work / "out-uninterrupted"
    result = watched_run(command(corpus, whole, args) + ["--fresh"])
    show("uninterrupted run", result)
    print(f"  {chars / result['seconds']:,.0f} chars/s end to end")
    if args.kill_after is None:
        return

    resumed = args.work / "out-killed"
    first = watched_run(command(corpus, resumed, args) + ["--fresh"], kill_after=args.kill_after)
    entries = resumed / ".zhie" / "entries"
    done = len([n for n in os.listdir(entries) if n.endswith(".json")]) if entries.is_dir() else 0
    show(
        f"run killed with SIGKILL after {args.kill_after:.0f} s ({done} articles in the journal)",
        first,
    )
    second = watched_run(command(corpus, resumed, args))
    show("run started again", second)
    tables = sorted(p.name for p in whole.iterdir() if p.is_file())
    differ = [n for n in tables if (whole / n).read_bytes() != (resumed / n).read_bytes()]
    print(f"tables compared: {len(tables)}; differing: {differ or 'none'}")


if __name__ == "__main__":
    main()
