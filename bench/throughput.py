"""Throughput of zhie against what a user would otherwise run, on the same texts in one run.

Measured, in characters per second of article text:

- OpenCC t2s alone: the floor, the cheapest step of the pipeline;
- jieba.posseg.lcut on the articles as they are (what a user would otherwise run), and on
  their t2s conversion (jieba's dictionary and HMM are Simplified: Traditional text is slow);
- the full pipeline, 1 job (`batch.run(jobs=1)`) and N jobs (`batch.run(jobs=N)`, default all
  cores): "end to end" counts everything from the call to the written tables (loading the
  pipeline, starting workers, journal, tables); "steady" is the rate between the moments 10%
  and 90% of the characters were done.

Peak memory is the highest sum of the resident set sizes of this process and its children,
sampled every 50 ms while each step runs (this process keeps what earlier steps loaded). The
last column is the CPU time other processes took meanwhile: if it is not near zero, the
machine was shared and the step's figure is low.

    python bench/throughput.py --ner jieba                  # 1000 generated articles
    python bench/throughput.py --corpus corpus/articles --ner crf
"""

from __future__ import annotations

import argparse
import atexit
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def busy_seconds() -> float:
    """CPU seconds spent by the whole machine so far (all cores)."""
    t = psutil.cpu_times()
    return (
        t.user + t.system + getattr(t, "nice", 0) + getattr(t, "irq", 0) + getattr(t, "softirq", 0)
    )


class PeakRSS:
    """The peak of (RSS of this process + RSS of all its descendants) while the block runs, and the
    CPU seconds other processes used meanwhile (`other_cpu`: the machine's busy time minus ours)."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak = interval, 0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()

    def sample(self) -> int:
        me = psutil.Process()
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
                times = proc.cpu_times()
                self.cpu[proc.pid] = times.user + times.system
            except psutil.Error:
                pass
        return total

    def _loop(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(self.interval)

    def __enter__(self):
        self.sample()
        self._before = dict(self.cpu)
        self._busy = busy_seconds()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.sample())
        ours = sum(t - self._before.get(pid, 0.0) for pid, t in self.cpu.items())
        self.other_cpu = max(0.0, busy_seconds() - self._busy - ours)


class Timeline:
    """A progress object for `batch.run` that records when each article finished."""

    def __init__(self):
        self.events: list[tuple[float, int]] = []

    def start(self, total, reused=0):
        pass

    def advance(self, chars, failed):
        self.events.append((time.perf_counter(), chars))

    def phase(self, text):
        pass

    def close(self):
        pass

    def steady(self) -> float:
        """Characters per second from the moment 10% of the characters were done to the moment 90%
        were (leaves out starting the workers and the tail; results arrive a batch at a time)."""
        if len({t for t, _ in self.events}) < 10:  # too few batches for a rate: use a larger corpus
            return float("nan")
        total = sum(c for _, c in self.events)
        done, marks = 0, []
        for t, c in self.events:
            done += c
            marks.append((t, done))
        low = next(((t, d) for t, d in marks if d >= 0.1 * total), None)
        high = next(((t, d) for t, d in marks if d >= 0.9 * total), None)
        if not low or not high or high[0] <= low[0]:
            return float("nan")
        return (high[1] - low[1]) / (high[0] - low[0])


def measure(name: str, chars: int, work) -> dict:
    with PeakRSS() as memory:
        started = time.perf_counter()
        extra = work()
        seconds = time.perf_counter() - started
    row = {
        "name": name,
        "seconds": seconds,
        "cps": chars / seconds,
        "peak": memory.peak,
        "other": memory.other_cpu,
    }
    if isinstance(extra, dict):
        row.update(extra)
    print(
        f"  {name}: {seconds:.2f} s, {row['cps']:,.0f} chars/s, peak {memory.peak / 2**20:,.0f} MiB, "
        f"other processes {memory.other_cpu:.1f} CPU-s",
        file=sys.stderr,
    )
    return row


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = psutil.virtual_memory().total / 2**30
    return f"{cpu}, {cores} cores, {memory:.0f} GiB RAM, Linux {platform.release()}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, help="folder of articles (default: generate --articles articles)"
    )
    parser.add_argument(
        "--articles",
        type=int,
        default=1000,
        help="articles to generate when no --corpus (default 1000)",
    )
    parser.add_argument(
        "--ner",
        choices=["embed", "crf", "jieba", "none"],
        help="NER backend (default: the config's, embed)",
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="jobs of the parallel run (default: all cores)"
    )
    parser.add_argument(
        "--no-raw-posseg",
        action="store_true",
        help="skip jieba.posseg.lcut on the unconverted texts (slow on Traditional text)",
    )
    args = parser.parse_args()

    import jieba
    import jieba.posseg
    import opencc

    from zhie.runners.batch import default_jobs, run
    from zhie.runners.process import Processor
    from zhie.text.read import discover, read_article

    jobs = args.jobs or default_jobs()
    work_dir = Path(tempfile.mkdtemp(prefix="zhie-bench-"))
    atexit.register(shutil.rmtree, work_dir, True)
    corpus = args.corpus
    if corpus is None:
        from make_corpus import make_corpus

        corpus = work_dir / "corpus"
        make_corpus(corpus, args.articles, seed=0)
    paths = discover(corpus)
    texts = [a.text for a in (read_article(p, corpus) for p in paths) if a.ok]
    chars = sum(len(t) for t in texts)
    options = {"overrides": {"components.zhie_ner.backend": args.ner}} if args.ner else {}
    print(
        f"{len(texts)} articles, {chars:,} characters; NER {args.ner or 'from the config'}; {jobs} jobs",
        file=sys.stderr,
    )

    rows = []
    converter = opencc.OpenCC("t2s")
    converted = []
    rows.append(
        measure(
            "OpenCC t2s (floor)",
            chars,
            lambda: converted.extend(converter.convert(t) for t in texts),
        )
    )
    jieba.setLogLevel(60)
    jieba.initialize()
    if not args.no_raw_posseg:
        rows.append(
            measure(
                "jieba.posseg.lcut, texts as they are",
                chars,
                lambda: [jieba.posseg.lcut(t) for t in texts],
            )
        )
    rows.append(
        measure(
            "jieba.posseg.lcut, t2s-converted texts",
            chars,
            lambda: [jieba.posseg.lcut(t) for t in converted],
        )
    )

    # The parallel run first: this process has not loaded the pipeline yet (as with `zhie run`).
    runs = {}
    for n in sorted({jobs, 1}, reverse=True):
        timeline = Timeline()

        def batch_run(n=n, timeline=timeline):
            run(
                corpus,
                work_dir / f"out{n}",
                jobs=n,
                fresh=True,
                quiet=True,
                progress=timeline,
                **options,
            )
            return {"steady": timeline.steady()}

        runs[n] = measure(f"zhie run --jobs {n}, end to end", chars, batch_run)
    processor = Processor(**options)

    def pipeline_only():
        for path in paths:
            processor.process(path, corpus)

    rows.append(measure("pipeline, Processor.process loop (loaded)", chars, pipeline_only))
    rows += [runs[1], runs[jobs]] if jobs > 1 else [runs[1], dict(runs[1])]

    floor = rows[0]["cps"]
    posseg_raw = rows[1]["cps"] if not args.no_raw_posseg else None
    posseg_t2s = rows[2 if posseg_raw else 1]["cps"]
    one, many = rows[-2], rows[-1]
    print(f"\nMachine: {machine()}")
    print(
        f"Texts: {len(texts)} articles, {chars:,} characters ({corpus}); NER backend: {args.ner or 'config default'}\n"
    )
    print(
        "| step | chars/s | vs posseg (as is) | vs posseg (t2s) | peak RSS | other processes' CPU |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        raw = f"{row['cps'] / posseg_raw:.2f}x" if posseg_raw else "-"
        print(
            f"| {row['name']} | {row['cps']:,.0f} | {raw} | {row['cps'] / posseg_t2s:.2f}x | "
            f"{row['peak'] / 2**20:,.0f} MiB | {row['other']:.1f} s |"
        )
    for row in (one, many):
        raw = f"{row['steady'] / posseg_raw:.2f}x" if posseg_raw else "-"
        print(
            f"| {row['name'].replace('end to end', 'steady')} | {row['steady']:,.0f} | {raw} | "
            f"{row['steady'] / posseg_t2s:.2f}x | | |"
        )
    print(
        f"\n{jobs} jobs / 1 job: {many['cps'] / one['cps']:.2f}x end to end, {many['steady'] / one['steady']:.2f}x steady; "
        f"1 job / t2s floor: {one['steady'] / floor:.4f}"
    )


if __name__ == "__main__":
    main()
