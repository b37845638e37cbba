"""Start and stop the site the way production runs it, for `make bench`, `make audit` and the smoke tests."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from lawsite.database_url import database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**overrides: str) -> dict:
    """Production settings (DEBUG off) on this machine: a local secret, 127.0.0.1 as the host."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    secret_file = BASE_DIR / "var" / "secret_key"
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret_file.read_text().strip() if secret_file.exists() else "s" * 64,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_ADMIN_REQUIRE_2FA="0",
        DJANGO_LOG_LEVEL="INFO",
        DJANGO_SETTINGS_MODULE="lawsite.settings",
        DATABASE_URL=database_url(),
        # The morning digest depends on the wall clock: off for tests and benchmarks unless overridden.
        INTAKE_DIGEST="0",
        # A fact production must state (lawsite.E020); a sample value for tests and benchmarks.
        FIRM_CLIENT_PAYS_EXPENSES_IF_NO_RECOVERY=env.get("FIRM_CLIENT_PAYS_EXPENSES_IF_NO_RECOVERY", "0"),
    )
    env.update(overrides)
    return env


def start_gunicorn(
    env: dict, port: int, log_path: Path | None = None, timeout: float = 30
) -> subprocess.Popen:
    """gunicorn with gunicorn.conf.py on 127.0.0.1:port, in its own process group; waits until it answers."""
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115  (closed by the child's exit)
    process = subprocess.Popen(
        [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "lawsite.wsgi"],
        cwd=BASE_DIR,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except urllib.error.HTTPError:
            return process  # it answers (e.g. 503 with the database down): it is up
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """Stop a process started with start_new_session=True, and everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def start_redis(port: int, timeout: float = 10) -> subprocess.Popen:
    """A private, memory-only redis-server on 127.0.0.1:port (never the machine's shared one), in its own
    process group; waits until it answers PING."""
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            time.sleep(0.05)
    stop(process)
    raise RuntimeError(f"redis-server did not answer within {timeout:.0f} s")
