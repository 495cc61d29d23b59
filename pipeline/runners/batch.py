"""Runners over `Processor.process`: every runner calls that one function per article.

A run (`run`) has three steps:

1. Discover the articles (sorted by article id) and hash each file's bytes. An article whose
   journal entry (`journal.Journal`: content sha256 + pipeline fingerprint) exists is done.
2. Process the others: in this process (`jobs=1`), in a pool of worker processes that each
   load the pipeline once (`jobs>1`), or on a Dask cluster (`scheduler=`). Workers return one
   article's rows as JSON; the parent writes them to the journal as they arrive, in any order.
3. Assemble the tables by reading the journal entries in article-id order, a few hundred
   articles at a time (each slice sorted with `tables.frame`, whose sort keys start with
   article_id), and stream them to temporary files renamed into place at the end.

The tables depend only on the journal entries, never on which runner made them or in which
order they arrived, so every runner and any number of jobs give byte-identical files, and a
run killed at any moment and started again gives the tables of an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from zhie.errors import RunError, UsageError
from zhie.runners.journal import JOURNAL_DIR, RETRY, Journal, encode, file_sha256
from zhie.runners.process import TIMED_OUT, Processor, check_options
from zhie.runners.progress import make_progress
from zhie.tables.rows import COLUMNS, TABLES, article_row, frame
from zhie.tables.writers import TableWriters, check_targets, parse_formats, remove_stale_temporaries
from zhie.text.read import DEFAULT_MAX_CHARS, Article, Found, discover_files, readable, unique_ids

# Work sent to a worker at once: up to this many articles or bytes (small articles share the IPC cost).
BATCH_ARTICLES = 32
BATCH_BYTES = 64 * 1024
# Batches in flight per worker.
IN_FLIGHT = 2
# With the default --jobs (all cores), less work than this (bytes of articles to process) runs in
# this process: starting workers that each load the pipeline would take longer.
AUTO_POOL_BYTES = 200_000
# The tables are assembled in slices of whole articles of about this size.
SLICE_ROWS = 50_000
SLICE_ARTICLES = 1_000

STATUS = COLUMNS["articles"].index("status")
ERROR = COLUMNS["articles"].index("error")
CHARS = COLUMNS["articles"].index("chars")


@dataclass
class RunSummary:
    articles: int = 0
    failed: int = 0
    chars: int = 0
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    processed: int = 0  # articles processed by this run (the others came from the journal)
    processed_chars: int = 0

    @property
    def reused(self) -> int:
        """The articles taken from the journal instead of processed."""
        return self.articles - self.processed

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        rate = self.processed_chars / self.seconds if self.seconds else 0.0
        rows = ", ".join(f"{n} {t}" for t, n in self.rows.items() if t != "articles")
        done = (
            f"; {self.processed} processed, {self.reused} unchanged since the last run"
            if self.reused
            else ""
        )
        return (
            f"zhie: {self.articles} articles ({self.failed} failed{done}), {rows}; "
            f"{self.seconds:.1f} s, {rate / 1000:.1f} kchar/s"
        )


@dataclass
class Task:
    name: str  # the journal entry the result goes to
    article_id: str
    path: str
    size: int
    problem: str = ""  # set: the path is an error row with this reason, never opened


@dataclass
class Done:
    """One processed article as a worker returns it."""

    name: str
    fingerprint: str
    text: str  # the journal entry (JSON)
    chars: int
    failed: bool
    retry: bool = False  # an outcome the next run does not reuse (the article timed out)


def check_output(out_dir: Path, formats=("csv",)) -> None:
    """Create the output folder or raise UsageError if it cannot be written, if its journal
    folder `.zhie` is not a folder or a table to write is a folder (checked before any article)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create output folder {out_dir}: {exc.strerror or exc}") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise UsageError(f"output folder is not writable: {out_dir}")
    journal = out_dir / JOURNAL_DIR
    if journal.exists() and not journal.is_dir():
        raise UsageError(f"{journal} is not a folder (zhie keeps its journal there): move it away")
    check_targets(out_dir, formats)


SCHEDULER = re.compile(
    r"^(tcp|tls|inproc|ucx|ws|wss)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(:\d{1,5})?/?$"
)


def check_scheduler(address: str) -> None:
    """Raise UsageError unless `address` looks like a Dask scheduler address (tcp://HOST:PORT)."""
    m = SCHEDULER.match(address or "")
    if not m or (m.group(3) and not 0 < int(m.group(3)[1:]) < 65536):
        raise UsageError(
            f"malformed --scheduler address {address!r} (expected e.g. tcp://HOST:8786)"
        )


def default_jobs() -> int:
    """All the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def is_url(path) -> bool:
    """Whether `path` is an fsspec URL (it holds `://`)."""
    return "://" in str(path)


# --- Finding the articles -------------------------------------------------------------------


def discover_articles(input_dir) -> tuple[str, list[tuple[str, str, str]]]:
    """(root, [(article_id, path, problem), ...]) sorted by article id; `input_dir` is a folder or
    an fsspec URL. `problem` is "" for a file to read, else the one-line reason that makes the
    path an error row (a link out of the folder, a loop, a folder that cannot be listed)."""
    if is_url(input_dir):
        return discover_url(str(input_dir))
    root = Path(input_dir)
    if not root.is_dir():
        raise UsageError(f"input folder not found: {input_dir}")
    try:
        found, folders = discover_files(root)
    except OSError as exc:
        raise UsageError(f"cannot list input folder {input_dir}: {exc.strerror or exc}") from None
    return str(root), _items(found, folders, str)


def _items(found: list[Found], folders: list[Found], locate) -> list[tuple[str, str, str]]:
    ids = unique_ids([f.rel for f in found])
    items = [(article_id, locate(f.path), f.problem) for article_id, f in zip(ids, found)]
    items += [(f.rel, locate(f.path), f.problem) for f in folders]
    items.sort(key=lambda item: item[0])
    return items


def discover_url(url: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The `*.txt` files under an fsspec URL (s3://bucket/news, file:///shared/news, ...), with the
    rules of a local folder: a local filesystem is walked as a folder (symbolic links are not
    followed out of it); on others, an entry that is a link is an error row, never followed."""
    import fsspec
    from fsspec.implementations.local import LocalFileSystem

    try:
        fs, root = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError, OSError) as exc:
        raise UsageError(f"cannot list input {url}: {exc}") from None
    root = root.rstrip("/") or "/"
    if isinstance(fs, LocalFileSystem):
        if not Path(root).is_dir():
            raise UsageError(f"input folder not found: {url}")
        try:
            found, folders = discover_files(Path(root))
        except OSError as exc:
            raise UsageError(f"cannot list input {url}: {exc.strerror or exc}") from None
        return fs.unstrip_protocol(root), _items(
            found, folders, lambda p: fs.unstrip_protocol(str(p))
        )
    try:
        entries = fs.find(root, detail=True)
    except (ImportError, ValueError, OSError) as exc:
        raise UsageError(f"cannot list input {url}: {exc}") from None
    if not entries and not fs.isdir(root):
        raise UsageError(f"input folder not found: {url}")
    found = []
    for p, info in sorted(entries.items()):
        if not p.lower().endswith(".txt"):
            continue
        link = info.get("islink") or info.get("type") == "link"
        found.append(
            Found(
                p,
                readable(p[len(root) :].lstrip("/")),
                "symbolic link (not followed)" if link else "",
            )
        )
    return fs.unstrip_protocol(root), _items(found, [], lambda p: fs.unstrip_protocol(str(p)))


# --- Processing one article: the same code in every runner ------------------------------------


def process_one(processor: Processor, path: str, root: str):
    """`processor.process(path, root)`; an fsspec URL is first copied to a local temporary file."""
    if not is_url(path):
        return processor.process(Path(path), Path(root))
    import fsspec

    rel = path[len(root) :].lstrip("/") if path.startswith(root) else path.rsplit("/", 1)[-1]
    with tempfile.TemporaryDirectory(prefix="zhie-") as tmp:
        local = Path(tmp) / rel
        local.parent.mkdir(parents=True, exist_ok=True)
        try:
            with fsspec.open(path, "rb") as f:
                local.write_bytes(f.read())
        except OSError as exc:
            article = Article(
                article_id=rel.rsplit(".", 1)[0],
                path=readable(path),
                error=f"cannot read file: {exc}",
            )
            return _result(article)
        result = processor.process(local, Path(tmp))
    result.rows["articles"][0]["path"] = readable(path)
    return result


def _result(article: Article):
    from zhie.runners.process import ArticleResult

    return ArticleResult(article.article_id, {"articles": [article_row(article)]})


def relabel(result, article_id: str):
    """The result with `article_id` in every row (the run's id, when two files would share one)."""
    if result.article_id != article_id:
        result.article_id = article_id
        for rows in result.rows.values():
            for row in rows:
                row["article_id"] = article_id
    return result


def process_task(processor: Processor, task: Task, root: str) -> Done:
    """Process one article into its journal entry; never raises for a bad article. A path with a
    problem found by the walk (`Task.problem`) is never opened: it is its error row."""
    try:
        if task.problem:
            result = _result(
                Article(article_id=task.article_id, path=readable(task.path), error=task.problem)
            )
        else:
            result = relabel(process_one(processor, task.path, root), task.article_id)
        text = encode(result.article_id, result.rows["articles"][0]["path"], result.rows)
    except Exception as exc:  # a bug outside the pipeline stages must not lose the batch
        message = f"internal error: {type(exc).__name__}: {exc}".splitlines()[0]
        result = _result(
            Article(article_id=task.article_id, path=readable(task.path), error=message)
        )
        text = encode(result.article_id, readable(task.path), result.rows)
    row = result.rows["articles"][0]
    return Done(
        task.name,
        processor.fingerprint,
        text,
        row["chars"],
        row["status"] != "ok",
        retry=TIMED_OUT in (row["error"] or ""),
    )


# Worker processes of the local pool: the processor is built once per process by the initializer.
_WORKER: dict = {}


def init_worker(options: dict, factory, run_pid: int | None = None) -> None:
    """Pool initializer: build the worker's processor (a failure is kept for `ping`)."""
    from zhie.runners.lifeline import guard

    guard(run_pid)  # the worker ends with the run, however the run ends
    try:
        _WORKER["processor"] = (factory or Processor)(**options)
    except BaseException as exc:  # reported by the first task, as the real exception
        _WORKER["error"] = exc


def ping() -> int:
    """Raise the worker's start-up error, if any (a bad rule file, a missing model)."""
    if "error" in _WORKER:
        raise _WORKER["error"]
    return os.getpid()


def process_tasks(tasks: list[Task], root: str) -> list[Done]:
    """Process a batch of tasks in a pool worker."""
    ping()
    return [process_task(_WORKER["processor"], task, root) for task in tasks]


# Dask workers: one processor per worker process and options, used by one thread at a time.
_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()


def cached_processor(options: dict, factory):
    """(processor, lock) for `options` and `factory`, built once per Dask worker process."""
    factory = factory or Processor
    key = (
        factory.__module__,
        factory.__qualname__,
        json.dumps(options, sort_keys=True, default=str),
    )
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = (factory(**options), threading.Lock())
        return _CACHE[key]


def dask_process_tasks(tasks: list[Task], root: str, options: dict, factory) -> list[Done]:
    """Process a batch of tasks on a Dask worker, one batch at a time per processor."""
    processor, lock = cached_processor(options, factory)
    with lock:
        return [process_task(processor, task, root) for task in tasks]


# --- Runners ------------------------------------------------------------------------------------


def batches(tasks: list[Task]) -> list[list[Task]]:
    """Batches of at most BATCH_ARTICLES tasks and BATCH_BYTES bytes (a bigger article alone)."""
    out: list[list[Task]] = []
    current: list[Task] = []
    size = 0
    for task in tasks:
        if current and (len(current) >= BATCH_ARTICLES or size + task.size > BATCH_BYTES):
            out.append(current)
            current, size = [], 0
        current.append(task)
        size += task.size
    if current:
        out.append(current)
    return out


def run_serial(tasks, root, processor, handle) -> None:
    """Process the tasks one by one in this process, handing each result to `handle`."""
    for task in tasks:
        handle(process_task(processor, task, root))


def mp_context():
    """The multiprocessing context of the pool: forkserver (spaCy preloaded), else spawn."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if (
        "forkserver" in methods
    ):  # fork is unsafe with threads (progress bar); spawn re-imports every time
        ctx = multiprocessing.get_context("forkserver")
        # Workers are forked from a server that has imported spaCy once: they share those pages
        # (about 190 MiB less physical memory for 2 workers than importing in each).
        # forkserver_guard makes the forkserver end with the run (see runners/lifeline.py).
        ctx.set_forkserver_preload(["zhie.runners.forkserver_guard", "zhie.runners.process"])
        return ctx
    return multiprocessing.get_context("spawn")


@contextmanager
def safe_path():
    """PYTHONSAFEPATH=1 while the pool's processes start: the forkserver (and the resource tracker)
    run `python -c ...`, which would put the working directory first on sys.path, so that a
    `zhie/` or `pipeline/` folder of the user's would be imported instead of zhie (Python 3.11+)."""
    old = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = old


def kill_workers(pool) -> None:
    """SIGKILL the pool's worker processes (they hold no state the run needs)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):
            pass


def run_pool(tasks, root, jobs, options, factory, handle, crashed) -> None:
    """Process `tasks` in `jobs` worker processes. A worker that dies (segfault, killed) breaks the
    pool: the batches in flight are then redone one article at a time in a new pool, and an
    article that kills its worker alone becomes an error row (`crashed`)."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = mp_context()
    jobs = max(1, min(jobs, len(tasks)))

    def new_pool():
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=ctx,
            initializer=init_worker,
            initargs=(options, factory, os.getpid()),
        )
        try:  # a worker that cannot even start is not an article's fault: stop the run
            with safe_path():
                pool.submit(ping).result()
        except BrokenProcessPool:
            pool.shutdown(wait=True, cancel_futures=True)
            raise RuntimeError(
                "zhie worker processes die while starting (is the calling script missing "
                '`if __name__ == "__main__":`?)'
            ) from None
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        return pool

    queue = deque(batches(tasks))
    suspects: deque[Task] = deque()
    pending: dict = {}
    pool = new_pool()
    try:
        while queue or pending or suspects:
            if suspects and not pending:  # one suspect at a time, alone in the pool
                task = suspects.popleft()
                try:
                    for done in pool.submit(process_tasks, [task], root).result():
                        handle(done)
                except BrokenProcessPool:
                    crashed(task)
                    pool.shutdown(wait=True, cancel_futures=True)
                    pool = new_pool()
                continue
            while queue and not suspects and len(pending) < jobs * IN_FLIGHT:
                batch = queue.popleft()
                pending[pool.submit(process_tasks, batch, root)] = batch
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in finished:
                batch = pending.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    broken = True
                    suspects.extend(batch)
                    continue
                for done in results:
                    handle(done)
            if broken:  # every other batch in flight fails with it: redo them article by article
                for future, batch in list(pending.items()):
                    try:
                        for done in future.result():
                            handle(done)
                    except BrokenProcessPool:
                        suspects.extend(batch)
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = new_pool()
    except BaseException:  # interrupted, terminated, a full disk: no worker goes on with its batch
        kill_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(tasks, root, scheduler, options, factory, handle, crashed) -> None:
    """Process `tasks` on the Dask cluster at `scheduler`, a bounded number of batches at a time.
    A batch whose workers keep dying (KilledWorker) is split; a lone article becomes an error row."""
    from distributed import Client, as_completed

    try:
        from distributed.scheduler import KilledWorker
    except ImportError:  # pragma: no cover
        from distributed import KilledWorker

    import asyncio
    from concurrent.futures import CancelledError

    try:
        client = Client(scheduler, timeout="15s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        message = " ".join(str(exc).split())[:200]
        raise UsageError(
            f"cannot connect to the Dask scheduler at {scheduler}: {message}"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=60)
        except TimeoutError:
            raise UsageError(f"the Dask scheduler at {scheduler} has no workers") from None
        slots = max(1, sum(client.nthreads().values())) * IN_FLIGHT
        queue = deque(batches(tasks))
        batch_of = {}

        def submit(batch):
            future = client.submit(dask_process_tasks, batch, root, options, factory, pure=False)
            batch_of[future] = batch
            return future

        futures = as_completed(
            [submit(queue.popleft()) for _ in range(min(slots, len(queue)))], loop=client.loop
        )
        for future in futures:
            batch = batch_of.pop(future)
            try:
                results = future.result()
            except KilledWorker:
                if len(batch) > 1:
                    queue.extendleft([task] for task in reversed(batch))
                else:
                    crashed(batch[0])
                results = []
            except (Exception, asyncio.CancelledError) as exc:
                if client.status == "running" and not isinstance(
                    exc, (OSError, asyncio.CancelledError, CancelledError)
                ):
                    raise
                raise RunError(
                    f"lost the Dask scheduler at {scheduler} ({type(exc).__name__}); the journal is kept: "
                    "run the same command again once the cluster is back"
                ) from None
            finally:
                future.release()
            for done in results:
                handle(done)
            while queue and len(batch_of) < slots:
                futures.add(submit(queue.popleft()))


# --- Assembling the tables ------------------------------------------------------------------


def assemble(
    journal: Journal, entries: list[tuple[str, str]], writers: TableWriters, summary: RunSummary
) -> None:
    """Stream the journal entries (in article-id order) into the table writers, a slice at a time.

    A slice holds whole articles (all files with one article id), so sorting each slice with
    `frame` (sort keys start with article_id) gives the same rows as sorting the whole table.
    """
    buffer: dict[str, list] = {t: [] for t in TABLES}
    rows = articles = 0
    last = None

    def flush():
        for table in TABLES:
            if buffer[table]:
                writers.write(table, frame(table, buffer[table]))
                buffer[table] = []

    for article_id, name in entries:
        if (
            last is not None
            and article_id != last
            and (rows >= SLICE_ROWS or articles >= SLICE_ARTICLES)
        ):
            flush()
            rows = articles = 0
        if last is not None and article_id < last:
            raise AssertionError(f"articles out of order: {article_id!r} after {last!r}")
        entry = journal.read(name)
        for table, table_rows in entry["tables"].items():
            buffer[table].extend(table_rows)
            rows += len(table_rows)
        row = entry["tables"]["articles"][0]
        summary.articles += 1
        summary.chars += row[CHARS]
        if row[STATUS] != "ok":
            summary.failed += 1
            summary.errors.append((entry["article_id"], row[ERROR]))
        articles += 1
        last = article_id
    flush()
    summary.rows = dict(writers.rows)


# --- A run ------------------------------------------------------------------------------------


def pipeline_fingerprint(factory, options: dict) -> str:
    """`Processor.fingerprint` for `options`, without loading the pipeline (workers check it)."""
    cls = factory if isinstance(factory, type) and issubclass(factory, Processor) else Processor
    bare = object.__new__(cls)  # no __init__ (no Processor class defines __new__)
    return bare.compute_fingerprint(
        options.get("config"),
        options.get("overrides"),
        options.get("opencc_config", "t2s"),
        options.get("max_chars", DEFAULT_MAX_CHARS),
    )


def run(
    input_dir,
    out_dir: Path,
    *,
    processor: Processor | None = None,
    encoding: str = "utf-8-sig",
    safe_csv: bool = True,
    quiet: bool = False,
    jobs: int | None = 1,
    scheduler: str | None = None,
    fresh: bool = False,
    formats=("csv",),
    processor_factory=None,
    progress=None,
    **processor_options,
) -> RunSummary:
    """Process every article under `input_dir` (a folder, or an fsspec URL readable by the workers)
    and write the tables to `out_dir`, reusing the articles already done by an earlier run.

    `jobs`: worker processes (None: all cores; 1: in this process, with `processor` if given).
    `scheduler`: a Dask scheduler address; the cluster's workers do the processing.
    `fresh`: forget the earlier runs. `formats`: "csv", "parquet" or both ("csv,parquet").
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    if isinstance(formats, str):
        formats = parse_formats(formats)
    auto_jobs = jobs is None
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, got {jobs}")
    if jobs > default_jobs() and not scheduler:
        if not quiet:
            print(
                f"zhie: --jobs {jobs} is more than the {default_jobs()} cores: using {default_jobs()}",
                file=sys.stderr,
            )
        jobs = default_jobs()
    if processor is not None and (jobs > 1 or scheduler):
        raise ValueError(
            "a ready `processor` runs in this process only: use jobs=1 without a scheduler"
        )
    if scheduler:
        check_scheduler(scheduler)
    if processor is None:
        check_options(
            **{
                k: v
                for k, v in processor_options.items()
                if k in ("config", "overrides", "opencc_config", "max_chars")
            }
        )
    root, items = discover_articles(input_dir)
    check_output(out_dir, formats)
    raw_fingerprint = (
        processor.fingerprint
        if processor is not None
        else pipeline_fingerprint(processor_factory, processor_options)
    )
    fingerprint = raw_fingerprint
    progress = progress or make_progress(quiet)
    journal = Journal(out_dir, fresh=fresh)
    try:
        remove_stale_temporaries(out_dir)
        entries, tasks = [], []
        for article_id, path, problem in items:
            content = (
                file_sha256(path)
                if not problem
                else "problem-" + hashlib.sha256(problem.encode()).hexdigest()[:16]
            )
            name = Journal.name(article_id, path, content, fingerprint)
            entries.append((article_id, name))
            if not journal.done(name):
                tasks.append(
                    Task(name, article_id, path, _size(path) if not problem else 0, problem)
                )
        summary = RunSummary()
        retried: dict[str, str] = {}

        def handle(done: Done) -> None:
            if done.fingerprint != raw_fingerprint:
                raise UsageError(
                    f"a worker ran a different pipeline (fingerprint {done.fingerprint}, here "
                    f"{raw_fingerprint}): the code, config or rules changed during the run, or the workers "
                    "lack this zhie version, rules and models; run again once they match"
                )
            name = done.name
            if done.retry:  # kept for this run's tables, redone by the next run
                name = retried[done.name] = done.name.rsplit("-", 1)[0] + f"-{RETRY}.json"
            journal.write(name, done.text)
            summary.processed += 1
            summary.processed_chars += done.chars
            progress.advance(done.chars, done.failed)

        def crashed(task: Task) -> None:
            message = (
                "worker process died while processing this article (it is retried by the next run)"
            )
            result = _result(
                Article(article_id=task.article_id, path=readable(task.path), error=message)
            )
            name = task.name.rsplit("-", 1)[0] + f"-{RETRY}.json"
            journal.write(name, encode(task.article_id, readable(task.path), result.rows))
            retried[task.name] = name
            summary.processed += 1
            progress.advance(0, True)

        progress.start(len(tasks), reused=len(items) - len(tasks))
        try:
            if tasks:
                if scheduler:
                    run_dask(
                        tasks,
                        root,
                        scheduler,
                        processor_options,
                        processor_factory,
                        handle,
                        crashed,
                    )
                elif (
                    jobs > 1
                    and len(tasks) > 1
                    and not (auto_jobs and sum(t.size for t in tasks) < AUTO_POOL_BYTES)
                ):
                    run_pool(
                        tasks, root, jobs, processor_options, processor_factory, handle, crashed
                    )
                else:
                    processor = processor or (processor_factory or Processor)(**processor_options)
                    run_serial(tasks, root, processor, handle)
            progress.phase("writing tables")
            entries = [(article_id, retried.get(name, name)) for article_id, name in entries]
            try:
                writers = TableWriters(out_dir, formats, encoding=encoding, safe_csv=safe_csv)
                try:
                    assemble(journal, entries, writers, summary)
                    writers.commit()
                except BaseException:
                    writers.discard()
                    raise
            except OSError as exc:
                where = exc.filename or out_dir
                raise RunError(
                    f"cannot write the tables ({where}): {exc.strerror or exc}; the old tables and the "
                    "journal are kept: run the same command again"
                ) from None
        finally:
            progress.close()
        journal.prune({name for _, name in entries})
    finally:
        journal.close()
    summary.seconds = time.perf_counter() - started
    if not quiet:
        for article_id, error in summary.errors:
            print(f"zhie: {article_id}: {error}", file=sys.stderr)
    return summary


def _size(path: str) -> int:
    try:
        return os.path.getsize(path) if not is_url(path) else 0
    except OSError:
        return 0
