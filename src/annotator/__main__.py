"""Entry point: `annotator` and `python -m annotator`."""

import sys


def main(argv: list[str] | None = None) -> int:
    from annotator.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
