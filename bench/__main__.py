"""`python -m bench`: runs the benchmarks (filled in as they are written)."""

import sys

if __name__ == "__main__":
    print("No benchmarks yet.")
    sys.exit(0)
