"""Errors a user can be shown as one clear sentence."""


class AnnotatorError(Exception):
    """Base class: str(err) is a complete sentence for the user."""


class WorkspaceError(AnnotatorError):
    pass


class WorkspaceLocked(WorkspaceError):
    def __init__(self, path: str, holder: dict):
        self.path = path
        self.holder = holder
        who = holder.get("user") or "another user"
        host = holder.get("host") or "this computer"
        since = holder.get("since") or "an unknown time"
        super().__init__(
            f"{path} is open for writing by {who} on {host} (process {holder.get('pid', '?')}, "
            f"since {since}); it can be opened read-only."
        )


class ReadOnlyWorkspace(WorkspaceError):
    pass


class SchemaTooNew(WorkspaceError):
    pass


class NotFound(AnnotatorError):
    pass


class InvalidInput(AnnotatorError):
    pass


class DiskFull(AnnotatorError):
    pass
