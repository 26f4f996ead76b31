"""The production layout on this machine, without containers: Debian's PostgreSQL 15, Redis and
nginx, gunicorn, two task workers, the clock and the channels' receiver, each started here as a
child process, each stopped by its process id when the check ends (whatever way it ends)."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
NGINX_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
# Debian package → a file that shows it is installed, and the system service Debian starts
# when it installs the package.
PACKAGES = {
    "postgresql-15": (PG_BIN / "postgres", "postgresql"),
    "nginx": (Path("/usr/sbin/nginx"), "nginx"),
    "libnginx-mod-http-cache-purge": (NGINX_MODULE, None),
    "redis-server": (Path("/usr/bin/redis-server"), "redis-server"),
}


class CheckFailed(Exception):
    """The layout could not be brought up: said in one line, exit status 2."""


def env_int(name, default):
    return int(os.environ.get(name) or default)


@dataclass
class Ports:
    """Every port the check listens on: settings, by default in a range of their own (never
    8000, 8001 or 8080, which `make run` and compose use)."""

    http: int = field(default_factory=lambda: env_int("PRODCHECK_HTTP_PORT", 8480))
    web: int = field(default_factory=lambda: env_int("PRODCHECK_WEB_PORT", 8481))
    receiver: int = field(default_factory=lambda: env_int("PRODCHECK_RECEIVER_PORT", 8482))
    postgres: int = field(default_factory=lambda: env_int("PRODCHECK_POSTGRES_PORT", 8483))
    redis: int = field(default_factory=lambda: env_int("PRODCHECK_REDIS_PORT", 8484))
    beacon: int = field(default_factory=lambda: env_int("PRODCHECK_BEACON_PORT", 8485))

    def refuse_taken(self):
        """Stops before starting anything when a port is in use: the check must measure its
        own servers, never somebody else's."""
        for name, port in vars(self).items():
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    raise CheckFailed(
                        f"port {port} ({name}) is taken; free it or set PRODCHECK_"
                        f"{name.upper()}_PORT"
                    ) from None


def install_missing_packages(log):
    missing = [name for name, (marker, _service) in PACKAGES.items() if not marker.exists()]
    if not missing:
        return
    if os.geteuid() != 0:
        raise CheckFailed(f"missing Debian packages {' '.join(missing)}; install them as root")
    log(f"installing {' '.join(missing)}")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    # Debian starts a freshly installed server as a system service: stop the ones installed
    # here again (this check runs its own and leaves nothing running), and only those.
    for name in missing:
        service = PACKAGES[name][1]
        if service:
            subprocess.run(["service", service, "stop"], capture_output=True, check=False)


class Layout:
    """Starts and stops the processes; a context manager that stops everything it started."""

    def __init__(self, workdir, ports, log):
        self.workdir = Path(workdir)
        self.ports = ports
        self.log = log
        self.processes = {}  # name → Popen
        self.logs = {}  # name → log file
        self.stoppers = []  # callables for servers that daemonise (PostgreSQL)
        self.as_postgres = os.geteuid() == 0
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "logs").mkdir(exist_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop_all()

    # --- processes ------------------------------------------------------------------------

    def log_file(self, name):
        return self.workdir / "logs" / f"{name}.log"

    def start(self, name, command, env=None, cwd=ROOT):
        handle = open(self.log_file(name), "ab")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own group: a Ctrl+C reaches the check, not it
        )
        self.processes[name] = process
        self.logs[name] = handle
        return process

    def kill(self, name):
        """SIGKILL, as the kernel's OOM killer or a power cut would: no clean-up runs."""
        process = self.processes[name]
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self, name, timeout=30):
        process = self.processes.pop(name)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.logs.pop(name).close()

    def stop_all(self):
        for name in reversed(list(self.processes)):
            self.stop(name)
        for stopper in reversed(self.stoppers):
            stopper()
        self.stoppers.clear()

    def running(self):
        return {name: p.pid for name, p in self.processes.items() if p.poll() is None}

    def cpu_seconds(self):
        """CPU seconds used so far by each part of the layout (each with its children)."""
        pids = self.running()
        postmaster = self.workdir / "postgres" / "postmaster.pid"
        parts = {
            "gunicorn (web)": [pids.get("web")],
            "gunicorn (beacon)": [pids.get("beacon")],
            "task workers": [pid for name, pid in pids.items() if name.startswith("worker")],
            "PostgreSQL": [int(postmaster.read_text().split()[0])] if postmaster.exists() else [],
            "nginx": [pids.get("nginx")],
            "Redis": [pids.get("redis")],
            "clock, receiver": [pids.get("clock"), pids.get("receiver")],
        }
        return {part: process_tree_cpu([p for p in roots if p]) for part, roots in parts.items()}

    # --- PostgreSQL: a cluster of the check's own, in its folder, on its port --------------

    def run_as_postgres(self, command, **kwargs):
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, **kwargs)

    def postgres(self):
        data = self.workdir / "postgres"
        data.mkdir()
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(data, user.pw_uid, user.pw_gid)
            os.chmod(self.workdir, 0o755)
        self.run_as_postgres(
            [PG_BIN / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-p {self.ports.postgres} -k {data} -c listen_addresses=127.0.0.1 "
            "-c max_connections=200 -c fsync=on -c shared_buffers=256MB "
            "-c log_min_messages=warning -c log_line_prefix='%m [%p] '"
        )
        self.run_as_postgres(
            [
                PG_BIN / "pg_ctl",
                "-D",
                data,
                "-o",
                options,
                "-l",
                data / "server.log",
                "-w",
                "start",
            ],
            stdout=subprocess.DEVNULL,
        )
        self.stoppers.append(
            lambda: self.run_as_postgres(
                [PG_BIN / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"],
                stdout=subprocess.DEVNULL,
            )
        )
        psql = [PG_BIN / "psql", "-h", "127.0.0.1", "-p", str(self.ports.postgres), "-U"]
        self.run_as_postgres(
            [*psql, "postgres", "-q", "-c", "CREATE ROLE pufa LOGIN PASSWORD 'pufa'"],
        )
        self.run_as_postgres([*psql, "postgres", "-q", "-c", "CREATE DATABASE pufa OWNER pufa"])
        return f"postgres://pufa:pufa@127.0.0.1:{self.ports.postgres}/pufa"

    def postgres_log(self):
        return self.workdir / "postgres" / "server.log"

    # --- Redis and nginx ------------------------------------------------------------------

    def redis(self):
        folder = self.workdir / "redis"
        folder.mkdir()
        self.start(
            "redis",
            [
                "/usr/bin/redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.ports.redis),
                "--dir",
                str(folder),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
        )
        wait_for_port(self.ports.redis, "redis")
        return f"redis://127.0.0.1:{self.ports.redis}/0"

    def write_nginx_config(self, prefix, static_root, media_root):
        values = {
            "PORTAL_LISTEN": f"127.0.0.1:{self.ports.http}",
            "PORTAL_UPSTREAM": f"127.0.0.1:{self.ports.web}",
            "PORTAL_BEACON_UPSTREAM": f"127.0.0.1:{self.ports.beacon}",
            "PORTAL_STATIC_ROOT": str(static_root),
            "PORTAL_MEDIA_ROOT": str(media_root),
            "PORTAL_CACHE_DIR": str(prefix / "cache"),
            "PORTAL_PURGE_FROM": "127.0.0.1",
        }
        portal = fill(ROOT / "deploy" / "nginx" / "portal.conf.template", values)
        (prefix / "portal.conf").write_text(portal)
        main = fill(
            Path(__file__).with_name("nginx.conf.template"),
            {
                "MODULE": str(NGINX_MODULE),
                "PREFIX": str(prefix),
                "USER": pwd.getpwuid(os.geteuid()).pw_name,
            },
        )
        (prefix / "nginx.conf").write_text(main)

    def nginx(self, static_root, media_root):
        prefix = self.workdir / "nginx"
        (prefix / "cache").mkdir(parents=True)
        self.write_nginx_config(prefix, static_root, media_root)
        subprocess.run(
            ["/usr/sbin/nginx", "-t", "-q", "-p", prefix, "-c", prefix / "nginx.conf"], check=True
        )
        self.start(
            "nginx", ["/usr/sbin/nginx", "-p", prefix, "-c", prefix / "nginx.conf"], cwd=prefix
        )
        wait_for_port(self.ports.http, "nginx")

    def nginx_logs(self):
        return [self.workdir / "nginx" / "error.log"]


def fill(template_path, values):
    """${NAME} → value for the names given; nginx's own $variables are left as they are, as
    the nginx image's envsubst does."""
    text = Path(template_path).read_text()
    template = Template(text)
    missing = {
        m.group("braced") for m in template.pattern.finditer(text) if m.group("braced")
    } - set(values)
    missing = {name for name in missing if name.isupper()}
    if missing:
        raise CheckFailed(f"{template_path}: no value for {', '.join(sorted(missing))}")
    return template.safe_substitute(values)


def wait_for_port(port, name, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise CheckFailed(f"{name} did not listen on port {port} within {timeout} s")


def venv_command(name):
    return str(BIN / name) if (BIN / name).exists() else shutil.which(name)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_tree_cpu(root_pids):
    """CPU seconds (user + system) used so far by these processes and all their descendants,
    from /proc: how much of the machine each part of the layout takes. A process's own time and
    that of its children which ended and were reaped (PostgreSQL's backends come and go with
    their connections), so no work done by the tree drops out of the sum."""
    parents = {}
    times = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = sum(int(ticks) for ticks in fields[11:15]) / CLOCK_TICKS
    wanted = set(root_pids)
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in wanted} - wanted
        grew = bool(children)
        wanted |= children
    return sum(times.get(pid, 0.0) for pid in wanted)
