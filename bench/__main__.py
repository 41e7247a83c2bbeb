"""`python -m bench [--size tiny|small|inquiry] [--only NAME ...]`: generate (or reuse)
the synthetic inquiry, run every benchmark, print one table, write bench/results.json."""

import argparse
import sys
import time
from pathlib import Path

from bench import generate, report, run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--size", choices=sorted(generate.SIZES), default="small")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", action="append", choices=run.NAMES, help="run only this benchmark (repeatable)")
    ap.add_argument("--out", type=Path, help="where generated data is cached (default bench/out)")
    ap.add_argument(
        "--json",
        type=Path,
        default=Path(__file__).resolve().parent / "results.json",
        help="where to write the results (default bench/results.json)",
    )
    ap.add_argument(
        "--ocr-pages", type=int, help="pages of the OCR benchmark's scan (e.g. 500 for the memory check)"
    )
    ap.add_argument("--generate-only", action="store_true", help="build the data and stop")
    ap.add_argument(
        "--in-process",
        action="store_true",
        help="run every side in this process (quick check; memory figures are not per operation)",
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.only and set(args.only) <= run.OWN_DATA:  # these build their own workspaces
        corpus = generate.corpus(args.size, args.seed, args.out)
    else:
        corpus = generate.build(args.size, args.seed, args.out)
    generate.log(f"data ready in {time.perf_counter() - t0:.0f} s: {corpus.folder}")
    if args.generate_only:
        return 0
    run.OCR_PAGES = args.ocr_pages
    rows = run.run(corpus, args.only, args.in_process)
    print(f"\nAnnotator benchmarks: size {args.size} (seed {args.seed}), {run.machine()['cpus']} CPUs\n")
    print(report.table(rows))
    meta = {"size": args.size, "seed": args.seed, "scale": vars(corpus.size), "machine": run.machine()}
    report.write_json(args.json, rows, meta)
    print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
