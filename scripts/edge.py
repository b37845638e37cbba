"""Run the shipped nginx site (deploy/nginx/lawsite.conf) for real, on loopback, as the current user.

`make bench`, tests/test_cluster.py and tests/test_deploy.py use it so that what they measure and prove is
the file an operator installs, not a copy. `site_config` changes only what cannot be the same on a test
machine: addresses and ports (loopback, no IPv6; the TLS server listens in plain HTTP on a free port, so
no certificate is needed to measure it), the upstream's app servers, and the paths of the cache, logs,
media and certificates (all inside a scratch directory). Each rewrite must match, so a change to the
shipped file that the harness no longer understands fails loudly instead of testing something else.
Clients send `Host: www.example.org` (the site's name in the shipped file); any other name is dropped by
the default server, as in production.
"""

import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_FILE = BASE_DIR / "deploy" / "nginx" / "lawsite.conf"
NGINX = "/usr/sbin/nginx"
SITE_HOST = "www.example.org"
CERTIFICATE = "/etc/letsencrypt/live/www.example.org/fullchain.pem"
CERTIFICATE_KEY = "/etc/letsencrypt/live/www.example.org/privkey.pem"


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={SITE_HOST}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def main_config(prefix: Path, include: Path, workers: str = "1", daemon: bool = True) -> Path:
    """An nginx.conf like Debian 12's around a site file, with pid, logs and temp files inside `prefix`.

    Debian's own http block also sets `ssl_protocols`, `ssl_prefer_server_ciphers on` and a combined access
    log; the site file overrides all three for its servers, so they are repeated here to prove it."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / name).mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    path = prefix / "nginx.conf"
    path.write_text(
        f"{user}{'' if daemon else 'daemon off;'}\nworker_processes {workers};\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "  sendfile on;\n  tcp_nopush on;\n  types_hash_max_size 2048;\n"
        "  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        "  ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n  ssl_prefer_server_ciphers on;\n"
        f"  access_log {prefix}/access.log;\n"
        f"  client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n"
        f"  fastcgi_temp_path {prefix}/fastcgi;\n  uwsgi_temp_path {prefix}/uwsgi;\n"
        f"  scgi_temp_path {prefix}/scgi;\n"
        "  gzip on;\n"
        f"  include {include};\n"
        "}\n"
    )
    return path


def _replace(text: str, pattern: str, replacement, *, flags=0) -> str:
    new, count = re.subn(pattern, replacement, text, flags=flags)
    if not count:
        raise ValueError(f"{SITE_FILE.name}: nothing matches {pattern!r}; update scripts/edge.py")
    return new


def site_config(
    prefix: Path,
    *,
    cert: Path,
    key: Path,
    http_port: int | None = None,
    port: int | None = None,
    upstreams: list[int] | None = None,
    media_root: Path | None = None,
) -> str:
    """The shipped site with its paths inside `prefix`; with ports given, listening on loopback only."""
    site = SITE_FILE.read_text()
    site = _replace(site, r"proxy_cache_path /var/cache/nginx/lawsite ", f"proxy_cache_path {prefix}/cache ")
    site = _replace(site, r"/var/log/nginx/lawsite\.access\.log", f"{prefix}/lawsite.access.log")
    site = _replace(site, r"root /var/www/letsencrypt;", f"root {prefix}/acme;")
    site = _replace(site, re.escape(CERTIFICATE), str(cert))
    site = _replace(site, re.escape(CERTIFICATE_KEY), str(key))
    site = _replace(site, r"alias /srv/lawsite/media/;", f"alias {media_root or prefix / 'media'}/;")
    if upstreams is not None:
        site = _replace(
            site,
            r"^(\s+)server 127\.0\.0\.1:8000 (.*);$",
            lambda m: "\n".join(f"{m[1]}server 127.0.0.1:{p} {m[2]};" for p in upstreams),
            flags=re.M,
        )
    if port is not None:
        site = _replace(site, r"^\s+listen \[::\]:.*\n", "", flags=re.M)
        site = _replace(site, r"listen 80( default_server)?;", rf"listen 127.0.0.1:{http_port}\1;")
        site = _replace(site, r"listen 443 ssl( default_server)?( http2)?;", rf"listen 127.0.0.1:{port}\1;")
    return site


class Edge:
    """The shipped nginx site in front of app servers on loopback ports; `url` is its (plain HTTP) address."""

    def __init__(self, prefix: Path, upstreams: list[int], *, media_root: Path | None = None, workers="1"):
        from scripts.processes import free_port

        self.prefix = prefix
        prefix.mkdir(parents=True, exist_ok=True)
        self.port, self.http_port = free_port(), free_port()
        cert, key = self_signed_certificate(prefix)
        (prefix / "lawsite.conf").write_text(
            site_config(
                prefix,
                cert=cert,
                key=key,
                http_port=self.http_port,
                port=self.port,
                upstreams=upstreams,
                media_root=media_root,
            )
        )
        self.config = main_config(prefix, prefix / "lawsite.conf", workers=workers, daemon=False)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 20) -> "Edge":
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-e", str(self.prefix / "error.log"), "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.error_log()}")
            try:
                health = urllib.request.Request(self.url + "/healthz", headers={"Host": SITE_HOST})  # noqa: S310
                with urllib.request.urlopen(health, timeout=2):  # noqa: S310  (http://127.0.0.1 built above)
                    return self
            except urllib.error.HTTPError:
                return self  # it answers (the app behind it may be down)
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not answer within {timeout:.0f} s: {self.error_log()}")

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text()[-2000:] if path.exists() else ""

    def stop(self) -> None:
        from scripts.processes import stop

        if self.process is not None:
            stop(self.process)
