"""The `zhie` command: a thin argparse layer over the functions that do the work.

Exit codes: 0 success, 1 some article failed (its row in articles.csv says why), 2 a usage
problem (missing input folder, unwritable output, bad rule file), reported in one line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zhie import __version__
from zhie.errors import RunError, Terminated, UsageError

EXIT_OK, EXIT_ARTICLE_FAILED, EXIT_USAGE = 0, 1, 2


def parse_overrides(pairs: list[str]) -> dict:
    """`section.key=value` pairs (values as JSON when they parse, else strings) for the config."""
    import json

    overrides = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--set needs section.key=value, got {pair!r}")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    return overrides


def add_pipeline_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that configure the pipeline (shared by `run` and `show`)."""
    parser.add_argument(
        "--config", type=Path, help="pipeline config (default: the packaged config.cfg)"
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        metavar="SECTION.KEY=VALUE",
        help="override a config value, e.g. components.zhie_ner.backend=jieba (repeatable)",
    )
    parser.add_argument(
        "--rules", type=Path, help="folder of rule files to use instead of the packaged rules/"
    )
    parser.add_argument(
        "--ner",
        choices=["embed", "crf", "jieba", "none"],
        help="NER backend (default from the config: crf, which scores best in the full pipeline on held-out sources; embed: the LAC-embedding model, best alone)",
    )
    parser.add_argument(
        "--opencc",
        default="t2s",
        help="OpenCC config for the conversion to Simplified (default t2s)",
    )
    parser.add_argument(
        "--article-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time limit per article (default 300; 0: none); an article over it becomes an error row "
        "naming the stage, and the next run tries it again",
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=None,
        help="longest article processed, in characters; longer ones become error rows (default 2,000,000)",
    )


def processor_options(args) -> dict:
    """The Processor options of the parsed pipeline options, checked before any article."""
    overrides = parse_overrides(args.overrides)
    if args.rules:
        for component in (
            "zhie_rules",
            "zhie_mentions",
            "zhie_organisations",
            "zhie_figures",
            "zhie_people",
            "zhie_events",
        ):
            overrides[f"components.{component}.rules_dir"] = str(args.rules)
        overrides["nlp.tokenizer.userdict"] = str(args.rules / "userdict.txt")
        overrides["nlp.tokenizer.lexicons"] = [
            str(args.rules / "suffixes.tsv"),
            str(args.rules / "titles.txt"),
        ]
        overrides["nlp.tokenizer.regroup"] = [str(args.rules / "suffixes.tsv")]
    if args.ner:
        overrides["components.zhie_ner.backend"] = args.ner
        # jieba's nr tags name many non-names (智能化, 蓬勃): keep only names that start with a surname
        overrides["components.zhie_mentions.surname_check_chars"] = 3 if args.ner == "jieba" else 2
    if args.rules and not args.rules.is_dir():
        raise UsageError(f"rules folder not found: {args.rules}")
    options = {"config": args.config, "overrides": overrides, "opencc_config": args.opencc}
    if args.max_chars is not None:
        options["max_chars"] = args.max_chars
    if args.article_timeout is not None:
        if args.article_timeout < 0:
            raise UsageError(
                f"--article-timeout must be 0 (none) or more, got {args.article_timeout:g}"
            )
        options["article_timeout"] = args.article_timeout
    from zhie.runners.process import check_options

    check_options(
        **{k: v for k, v in options.items() if k != "article_timeout"}
    )  # before any article: exit 2
    return options


def cmd_run(args) -> int:
    """`zhie run`: process a folder of articles into tables."""
    from zhie.runners.batch import run

    summary = run(
        args.articles,
        args.out,
        encoding=args.encoding,
        safe_csv=not args.raw_csv,
        quiet=args.quiet,
        jobs=args.jobs,
        scheduler=args.scheduler,
        fresh=args.fresh,
        formats=args.format,
        **processor_options(args),
    )
    print(summary.line(), file=sys.stderr)
    return EXIT_ARTICLE_FAILED if summary.failed else EXIT_OK


def cmd_evaluate(args) -> int:
    """`zhie evaluate`: score a run's tables against gold annotations."""
    from zhie.evaluate.gold import (
        evaluate,
        evaluate_groups,
        format_groups,
        format_scores,
        write_scores,
    )
    from zhie.files import write_atomic

    if not args.gold.is_dir():
        raise UsageError(f"gold folder not found: {args.gold}")
    if not args.pred.is_dir():
        raise UsageError(f"prediction folder not found: {args.pred}")
    scores = evaluate(args.gold, args.pred)
    print(format_scores(scores))
    write_scores(scores, args.pred / "evaluation.csv")
    groups = evaluate_groups(args.gold, args.pred)
    if len(groups) > 1:
        print("\nper source group (F1; title and organisation: accuracy)")
        print(format_groups(groups))
    write_atomic(
        args.pred / "evaluation_groups.csv",
        lambda tmp: groups.to_csv(tmp, index=False, float_format="%.4f"),
    )
    return EXIT_OK


def cmd_show(args) -> int:
    """`zhie show`: print one article's extraction in the terminal."""
    from zhie.views.show import show

    return show(args.article, **processor_options(args))


def cmd_report(args) -> int:
    """`zhie report`: write a run's static HTML report."""
    from zhie.views.report import build_report

    index, notes = build_report(args.out_dir)
    for note in notes:
        print(f"zhie: report: {note}", file=sys.stderr)
    print(index)
    return EXIT_OK


def cmd_train(args) -> int:
    """`zhie train`: train the NER model."""
    if not args.data.is_dir():
        raise UsageError(f"data folder not found: {args.data}")
    if args.sample is not None and not args.sample.is_file():
        raise UsageError(f"sample file not found: {args.sample}")
    if args.model == "embed":
        from zhie.training.train_embed import DEFAULT_ARTICLES, DEFAULT_GOLD, train_embed

        if args.lac is None:
            raise UsageError(
                "zhie train needs --lac PATH, the lac 2.1.2 sdist (LAC-2.1.2.tar.gz) whose embedding "
                "table the model uses (pip download --no-deps --no-build-isolation lac -d DIR)"
            )
        out = args.out if args.out is not None else Path(__file__).parent / "models" / "ner"
        articles, gold = args.articles or DEFAULT_ARTICLES, args.gold or DEFAULT_GOLD
        for folder in (articles, gold):
            if not folder.is_dir():
                raise UsageError(f"gold folder not found: {folder} (--articles, --gold)")
        result = train_embed(
            args.data,
            out,
            args.lac,
            articles_dir=articles,
            gold_dir=gold,
            sample=args.sample,
            epochs=args.max_iterations,
            quiet=args.quiet,
            threads=args.threads,
        )
        for key in ("eval", "agreement", "sizes", "seconds", "train_sentences"):
            print(f"{key}: {result[key]}")
        return EXIT_OK
    from zhie.training.train import CORPORA, train

    corpora = tuple(c.strip() for c in args.corpora.split(",") if c.strip())
    unknown = [c for c in corpora if c not in CORPORA]
    if unknown or not corpora:
        raise UsageError(f"unknown corpora {unknown}: choose from {', '.join(CORPORA)}")
    if args.model == "crf" and args.out is None:
        args.out = Path(__file__).parent / "models" / "ner_crf"
    result = train(
        args.data,
        args.out,
        sample=args.sample,
        max_iterations=args.max_iterations,
        quiet=args.quiet,
        model=args.model,
        corpora=corpora,
        cluener_address=args.cluener_address,
        cluener_organization=args.cluener_organization,
    )
    for key, value in result.items():
        print(f"{key}: {value}")
    return EXIT_OK


def cmd_evaluate_ner(args) -> int:
    """`zhie evaluate-ner`: score the NER model on an annotated file."""
    from zhie.evaluate.ner import evaluate_file, format_report

    if not args.file.exists():
        raise UsageError(f"file not found: {args.file}")
    if args.model is not None and not args.model.is_dir():
        raise UsageError(f"model folder not found: {args.model}")
    print(
        format_report(
            evaluate_file(args.file, model=args.model, fmt=args.format, convention=args.convention)
        )
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `zhie` command and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="zhie", description="Information extraction from Chinese news articles."
    )
    parser.add_argument("--version", action="version", version=f"zhie {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "run",
        help="process a folder of articles into CSV tables",
        description="Process a folder of articles into tables. Articles already done by an earlier "
        "run into the same --out folder (same file contents, same pipeline) are reused "
        "from OUT/.zhie/; the tables always cover exactly the articles now in the folder.",
    )
    p.add_argument(
        "articles",
        help="folder of *.txt articles (searched recursively), or an fsspec URL "
        "(s3://bucket/news, file:///shared/news) readable by every worker",
    )
    p.add_argument("--out", type=Path, required=True, help="output folder for the tables")
    p.add_argument(
        "--encoding",
        default="utf-8-sig",
        choices=["utf-8-sig", "utf-8"],
        help="CSV encoding: utf-8-sig (with BOM, for Excel; default) or utf-8",
    )
    p.add_argument(
        "--raw-csv",
        action="store_true",
        help="do not neutralise cells starting with = + - @ (spreadsheet formula injection)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress or per-article error lines")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="worker processes, each loading the pipeline once (default: all cores, or 1 when under "
        "200 kB of articles need processing; 1: no workers); the tables are byte-identical for every N",
    )
    p.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run on the Dask distributed cluster of this scheduler instead of local processes "
        "(the input must be readable by the workers: a shared path or a URL; --jobs is ignored)",
    )
    p.add_argument(
        "--fresh",
        action="store_true",
        help="forget the articles done by earlier runs into --out and process every article again",
    )
    p.add_argument(
        "--format",
        default="csv",
        metavar="csv|parquet|csv,parquet",
        help="table formats to write (default csv); parquet keeps the column types (pyarrow)",
    )
    add_pipeline_options(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("evaluate", help="score a run's tables against gold annotations")
    p.add_argument("--gold", type=Path, required=True, help="folder of gold JSON files")
    p.add_argument("--pred", type=Path, required=True, help="output folder of a run")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("show", help="print one article's extraction as tables in the terminal")
    p.add_argument("article", type=Path, help="an article file")
    add_pipeline_options(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("report", help="write a static HTML report of a run to OUT_DIR/report/")
    p.add_argument(
        "out_dir", type=Path, metavar="OUT_DIR", help="output folder of a run (with articles.csv)"
    )
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("train", help="train the NER model from the public corpora")
    p.add_argument(
        "--data",
        type=Path,
        required=True,
        help="folder laid out like shared/data (msra_ner/, cluener2020/, ...)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write the model (default: the packaged models/ner, or models/ner_crf for crf)",
    )
    p.add_argument("--sample", type=Path, help="train only on this small BIO file (for tests)")
    p.add_argument("--max-iterations", type=int, help="cap on training iterations")
    p.add_argument(
        "--model",
        choices=["embed", "crf", "neural"],
        default="embed",
        help="embed (the LAC-embedding CNN-CRF, default, into models/ner; needs zhie[train]: torch), "
        "crf (the character CRF that the pipeline uses by default, into models/ner_crf) or the "
        "BiLSTM candidate neural (torch)",
    )
    p.add_argument(
        "--corpora",
        default="msra",
        help="crf / neural: comma-separated corpora to train on, of msra, cluener, resume, weibo "
        "(default msra: the shipped CRF)",
    )
    p.add_argument(
        "--cluener-address",
        choices=["gpe", "drop"],
        default="gpe",
        help="crf / neural with cluener: its address spans as GPE, or drop the sentences with one",
    )
    p.add_argument(
        "--cluener-organization",
        choices=["org", "drop"],
        default="org",
        help="crf / neural with cluener: its organization spans (mostly sports clubs) as ORG, "
        "or drop the sentences with one (company and government are always ORG)",
    )
    p.add_argument(
        "--lac",
        type=Path,
        help="embed: the lac 2.1.2 sdist (LAC-2.1.2.tar.gz) or a folder unpacked from it",
    )
    p.add_argument(
        "--articles",
        type=Path,
        default=None,
        help="embed: folder of the gold articles to train on (default: corpus/articles of the source tree)",
    )
    p.add_argument(
        "--gold", type=Path, default=None, help="embed: their gold JSON (default: corpus/gold)"
    )
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="embed: torch threads (1: the shipped model's setting)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser(
        "evaluate-ner", help="score the NER model on a BIO, BMES, CLUENER JSON or Weibo file"
    )
    p.add_argument("file", type=Path, help="the annotated file")
    p.add_argument(
        "--format",
        choices=["bio", "bmes", "cluener", "weibo"],
        help="file format (default: from the name)",
    )
    p.add_argument("--model", type=Path, help="model folder (default: the packaged model)")
    p.add_argument(
        "--convention",
        choices=["msra", "cluener", "news"],
        help="annotation convention the embedding model follows (default by format: bio msra, "
        "CLUENER JSON cluener, others news; the pipeline uses news)",
    )
    p.set_defaults(func=cmd_evaluate_ner)
    return parser


def one_line(exc: BaseException) -> str:
    """The first non-blank line of an exception's message (else its type's name)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _terminate(signum, frame):
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr: exit 2 for a usage problem (and any
    other error of a command), 1 for a run that cannot finish (its journal kept) or an article
    that failed, 130 for Ctrl-C, 143 for SIGTERM (handled like Ctrl-C)."""
    import signal
    import threading

    from zhie.nlp.lexicon import RuleFileError

    args = build_parser().parse_args(argv)
    old_handler = None
    if threading.current_thread() is threading.main_thread():
        old_handler = signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.func(args)
    except (UsageError, RuleFileError, ValueError) as exc:
        print(f"zhie: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except RunError as exc:
        print(f"zhie: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_ARTICLE_FAILED
    except KeyboardInterrupt:
        print("zhie: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print(
            "zhie: terminated (SIGTERM); the journal is kept: run the same command again to go on",
            file=sys.stderr,
        )
        return 143
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"zhie: error:{where} {exc.strerror or one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug: still one line, not a traceback
        print(f"zhie: error: {type(exc).__name__}: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if old_handler is not None:
            signal.signal(signal.SIGTERM, old_handler)
