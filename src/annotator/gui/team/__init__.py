"""The team workspace in the window: Sync action, status indicator, conflict review, publish/join."""
