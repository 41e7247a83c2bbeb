"""A throw-away PostgreSQL server on a Unix socket in a folder (tests, bench).

PostgreSQL refuses to run as root: as root the server runs as the `postgres`
system user (Debian's package creates it), otherwise as the current user.
The superuser gets a password and every connection must give one
(scram-sha-256), so wrong passwords are refused as on a real server.
"""

import os
import shutil
import subprocess
import tempfile

BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")


def binary(name: str) -> str:
    for folder in BIN_DIRS:
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK):
            return path
    found = shutil.which(name)
    if found:
        return found
    raise FileNotFoundError(f"PostgreSQL's {name} was not found; install the 'postgresql' package.")


class LocalServer:
    """`with LocalServer() as srv: srv.url('db')` -> a running server, stopped on exit."""

    def __init__(self, password: str = "admin-secret", superuser: str = "postgres"):
        self.password = password
        self.superuser = superuser
        self.root = tempfile.mkdtemp(prefix="annot-pg-")
        self.data = os.path.join(self.root, "data")
        self.socket_dir = os.path.join(self.root, "sock")
        os.makedirs(self.socket_dir)
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:  # the server's user must reach its folders
            import pwd

            pw = pwd.getpwnam("postgres")
            os.chmod(self.root, 0o755)
            for d in (self.root, self.socket_dir):
                os.chown(d, pw.pw_uid, pw.pw_gid)

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self._as, *cmd], check=True, capture_output=True, cwd=self.root)

    def start(self) -> "LocalServer":
        pwfile = os.path.join(self.root, "pw")
        with open(pwfile, "w") as fh:
            fh.write(self.password + "\n")
        if self._as:
            shutil.chown(pwfile, "postgres")
        self._run(
            binary("initdb"),
            "-D",
            self.data,
            "-U",
            self.superuser,
            "--pwfile",
            pwfile,
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        os.unlink(pwfile)
        opts = f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c max_connections=60"
        self._run(
            binary("pg_ctl"), "-D", self.data, "-l", os.path.join(self.root, "log"), "-o", opts, "-w", "start"
        )
        return self

    def stop(self) -> None:
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            try:
                self._run(binary("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, db: str = "postgres", user: str | None = None, password: str | None = None) -> str:
        user = user or self.superuser
        cred = f"{user}:{password}" if password is not None else user
        return f"postgresql://{cred}@/{db}?host={self.socket_dir}"

    def admin_url(self, db: str = "postgres") -> str:
        return self.url(db, self.superuser, self.password)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.admin_url(name)

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
