"""Write unexpected errors to a log file in the user's log folder."""

import os
import traceback
from datetime import datetime

from platformdirs import user_log_dir


def log_dir() -> str:
    path = os.environ.get("ANNOTATOR_LOG_DIR") or user_log_dir("annotator", appauthor=False)
    os.makedirs(path, exist_ok=True)
    return path


def log_exception(err: BaseException) -> str:
    path = os.path.join(log_dir(), "annotator.log")
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
            fh.write("".join(traceback.format_exception(type(err), err, err.__traceback__)))
    except OSError:
        return "(the log could not be written)"
    return path
