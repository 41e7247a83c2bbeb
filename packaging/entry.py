"""What the packaged application runs (PyInstaller freezes this file).

The frozen program is also its own PDF reader process: the importer starts
`<program> --ingest-worker` where a source install runs
`python -m annotator.core.ingest.worker`.
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["--ingest-worker"]:
        from annotator.core.ingest.worker import serve

        serve()
        sys.exit(0)
    if sys.argv[1:2] == ["--ocr-worker"]:
        from annotator.core.ocr.pool import serve as serve_ocr

        serve_ocr()
        sys.exit(0)
    from annotator.__main__ import main

    sys.exit(main())
