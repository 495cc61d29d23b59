"""Throughput of zhie against what a user would otherwise run, on the same texts in one run.

Measured, in characters per second of article text:

- OpenCC t2s alone: the floor, the cheapest step of the pipeline;
- jieba.posseg.lcut on the articles as they are (what a user would otherwise run), and on
  their t2s conversion (jieba's dictionary and HMM are Simplified: Traditional text is slow);
- the full pipeline, 1 job (`batch.run(jobs=1)`) and N jobs (`batch.run(jobs=N)`, default all
  cores): "end to end" counts everything from the call to the written tables (loading the
  pipeline, starting workers, journal, tables); "steady" counts the characters of the articles
  finished between the first and the last finished article, over that time.

Peak memory is the highest sum of the resident set sizes of this process and its children,
sampled every 50 ms while each step runs.

    python bench/throughput.py --ner jieba                  # 1000 generated articles
    python bench/throughput.py --corpus corpus/articles --ner crf
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


class PeakRSS:
    """The peak of (RSS of this process + RSS of all its descendants) while the block runs."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak = interval, 0
        self._stop = threading.Event()

    def sample(self) -> int:
        me = psutil.Process()
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _loop(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.sample())


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
        """Characters per second between the first and the last finished article."""
        if len(self.events) < 2:
            return float("nan")
        (t0, _), (t1, _) = self.events[0], self.events[-1]
        return sum(c for _, c in self.events[1:]) / (t1 - t0)


def measure(name: str, chars: int, work) -> dict:
    with PeakRSS() as memory:
        started = time.perf_counter()
        extra = work()
        seconds = time.perf_counter() - started
    row = {"name": name, "seconds": seconds, "cps": chars / seconds, "peak": memory.peak}
    if isinstance(extra, dict):
        row.update(extra)
    print(f"  {name}: {seconds:.2f} s, {row['cps']:,.0f} chars/s, peak {memory.peak / 2**20:,.0f} MiB", file=sys.stderr)
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
    parser.add_argument("--corpus", type=Path, help="folder of articles (default: generate --articles articles)")
    parser.add_argument("--articles", type=int, default=1000, help="articles to generate when no --corpus (default 1000)")
    parser.add_argument("--ner", choices=["crf", "jieba", "none"], help="NER backend (default: the config's, crf)")
    parser.add_argument("--jobs", type=int, default=None, help="jobs of the parallel run (default: all cores)")
    parser.add_argument("--no-raw-posseg", action="store_true",
                        help="skip jieba.posseg.lcut on the unconverted texts (slow on Traditional text)")
    args = parser.parse_args()

    import jieba
    import jieba.posseg
    import opencc

    from pipeline.batch import default_jobs, run
    from pipeline.process import Processor
    from pipeline.read import discover, read_article

    jobs = args.jobs or default_jobs()
    work_dir = Path(tempfile.mkdtemp(prefix="zhie-bench-"))
    corpus = args.corpus
    if corpus is None:
        from make_corpus import make_corpus

        corpus = work_dir / "corpus"
        make_corpus(corpus, args.articles, seed=0)
    paths = discover(corpus)
    texts = [a.text for a in (read_article(p, corpus) for p in paths) if a.ok]
    chars = sum(len(t) for t in texts)
    options = {"overrides": {"components.zhie_ner.backend": args.ner}} if args.ner else {}
    print(f"{len(texts)} articles, {chars:,} characters; NER {args.ner or 'from the config'}; {jobs} jobs", file=sys.stderr)

    rows = []
    converter = opencc.OpenCC("t2s")
    converted = []
    rows.append(measure("OpenCC t2s (floor)", chars, lambda: converted.extend(converter.convert(t) for t in texts)))
    jieba.setLogLevel(60)
    jieba.initialize()
    if not args.no_raw_posseg:
        rows.append(measure("jieba.posseg.lcut, texts as they are", chars, lambda: [jieba.posseg.lcut(t) for t in texts]))
    rows.append(measure("jieba.posseg.lcut, t2s-converted texts", chars, lambda: [jieba.posseg.lcut(t) for t in converted]))

    # The parallel run first: this process has not loaded the pipeline yet (as with `zhie run`).
    runs = {}
    for n in sorted({jobs, 1}, reverse=True):
        timeline = Timeline()

        def batch_run(n=n, timeline=timeline):
            run(corpus, work_dir / f"out{n}", jobs=n, fresh=True, quiet=True, progress=timeline, **options)
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
    print(f"Texts: {len(texts)} articles, {chars:,} characters ({corpus}); NER backend: {args.ner or 'config default'}\n")
    print("| step | chars/s | vs posseg (as is) | vs posseg (t2s) | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        raw = f"{row['cps'] / posseg_raw:.2f}x" if posseg_raw else "-"
        print(f"| {row['name']} | {row['cps']:,.0f} | {raw} | {row['cps'] / posseg_t2s:.2f}x | {row['peak'] / 2**20:,.0f} MiB |")
    for row in (one, many):
        raw = f"{row['steady'] / posseg_raw:.2f}x" if posseg_raw else "-"
        print(f"| {row['name'].replace('end to end', 'steady')} | {row['steady']:,.0f} | {raw} | "
              f"{row['steady'] / posseg_t2s:.2f}x | |")
    print(f"\n{jobs} jobs / 1 job: {many['cps'] / one['cps']:.2f}x end to end, {many['steady'] / one['steady']:.2f}x steady; "
          f"1 job / t2s floor: {one['steady'] / floor:.4f}")


if __name__ == "__main__":
    main()
