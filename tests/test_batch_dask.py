"""Runs on a Dask distributed cluster give the tables of a local run, byte for byte."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import CORPUS, CORPUS_ARTICLES

from zhie.runners.batch import run
from zhie.tables.rows import TABLES
from zhie.text.read import discover

distributed = pytest.importorskip("distributed")

JIEBA = {"overrides": {"components.zhie_ner.backend": "jieba"}}
FILES = [f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")]


def differing(a: Path, b: Path, names) -> list[str]:
    return [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local")
    run(CORPUS, out, jobs=1, formats="csv,parquet", quiet=True, **JIEBA)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_local_cluster_with_two_worker_processes_equals_the_local_run(tmp_path, local):
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        summary = run(
            CORPUS,
            tmp_path / "dask",
            scheduler=cluster.scheduler_address,
            formats="csv,parquet",
            quiet=True,
            **JIEBA,
        )
        assert summary.processed == summary.articles == CORPUS_ARTICLES
        with distributed.Client(
            cluster
        ) as client:  # a worker process loads the pipeline once at most
            built = client.run(lambda: len(__import__("zhie.runners.batch").runners.batch._CACHE))
        assert len(built) == 2 and set(built.values()) <= {0, 1} and sum(built.values()) >= 1
        # An fsspec URL: the same rows, with the URL as the article's path.
        url = CORPUS.resolve().as_uri()
        run(url, tmp_path / "url", scheduler=cluster.scheduler_address, quiet=True, **JIEBA)
    assert differing(local, tmp_path / "dask", FILES) == []
    assert differing(local, tmp_path / "url", [f"{t}.csv" for t in TABLES if t != "articles"]) == []
    by_path = pd.read_csv(
        tmp_path / "url" / "articles.csv", encoding="utf-8-sig", keep_default_na=False
    )
    by_name = pd.read_csv(local / "articles.csv", encoding="utf-8-sig", keep_default_na=False)
    assert by_path["path"].tolist() == [p.resolve().as_uri() for p in discover(CORPUS)]
    assert by_path.drop(columns="path").equals(by_name.drop(columns="path"))


def test_cli_against_dask_scheduler_and_worker_processes(tmp_path):
    bin_dir = Path(sys.executable).parent
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    started = []
    try:
        started.append(
            subprocess.Popen(
                [
                    str(bin_dir / "dask"),
                    "scheduler",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-dashboard",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        started.append(
            subprocess.Popen(
                [
                    str(bin_dir / "dask"),
                    "worker",
                    address,
                    "--nworkers",
                    "2",
                    "--nthreads",
                    "1",
                    "--host",
                    "127.0.0.1",
                    "--no-dashboard",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        expected = tmp_path / "expected"  # in this process, with the options the command line gives
        from zhie.cli import build_parser, processor_options

        options = processor_options(
            build_parser().parse_args(["run", "in", "--out", "o", "--ner", "jieba"])
        )
        run(CORPUS, expected, jobs=1, formats="csv,parquet", quiet=True, **options)
        out = tmp_path / "out"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "zhie",
                "run",
                str(CORPUS),
                "--out",
                str(out),
                "--scheduler",
                address,
                "--ner",
                "jieba",
                "--format",
                "csv,parquet",
                "--quiet",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr.startswith(f"zhie: {CORPUS_ARTICLES} articles (0 failed), ")
        assert differing(expected, out, FILES) == []
    finally:
        for proc in reversed(started):
            proc.terminate()
        for proc in reversed(started):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
