import contextlib
import signal
import time

from django.conf import settings
from django.core.management import BaseCommand
from django.db import close_old_connections, connection

from outbox import heartbeat, jobs, lease, results
from outbox.worker import drain, process_batch


class Command(BaseCommand):
    help = (
        "Send the queued emails and run the periodic jobs the apps declare (settings.OUTBOX_JOBS: the morning "
        "digest, approval requests, review reminders, the advertising archive); runs until stopped. --once "
        "runs the every-loop jobs, sends what is due, then exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send everything that is due now, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between looks at the outbox when it is empty (default OUTBOX_POLL_SECONDS).",
        )
        parser.add_argument("--batch-size", type=int, default=20)

    def handle(self, *args, once=False, interval=None, batch_size=20, **options):
        if once:
            heartbeat.beat(force=True)
            jobs.run_every_loop()
            try:
                totals = drain(batch_size)
            finally:
                results.log_unsettled()
            self.stdout.write(
                "outbox: " + (" ".join(f"{k}={v}" for k, v in sorted(totals.items())) or "nothing due")
            )
            return
        interval = settings.OUTBOX_POLL_SECONDS if interval is None else interval
        self.stopping = False

        def stop(signum, frame):
            # Finish the email in hand, then exit: a half-sent email is exactly what we avoid.
            self.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"outbox worker started (looking every {interval:g}s); Ctrl-C or SIGTERM stops it")
        schedule = jobs.Schedule()
        keeper = lease.Keeper().start()  # renews the leases of the emails in hand, even mid-conversation
        failures = 0
        while not self.stopping:
            close_old_connections()  # survive a database restart: a broken connection is replaced
            wait = interval
            try:
                heartbeat.beat()  # /healthz says "worker": "degraded" when this stops (outbox/heartbeat.py)
                schedule.run_due()  # each job logs its own failure; a database error lands below
                worked = process_batch(batch_size)
                if failures:
                    self.stdout.write(f"outbox worker: working again after {failures} failed attempts")
                failures = 0
            except Exception as exc:  # noqa: BLE001 (e.g. the database is down: wait and try again)
                failures += 1
                # Back off (up to a minute) so a long outage is not a tight loop of reconnects.
                wait = min(60.0, interval * 2 ** min(failures - 1, 4))
                if failures == 1 or failures % 10 == 0:
                    self.stderr.write(f"outbox worker: {type(exc).__name__}, retrying in {wait:g}s")
                with contextlib.suppress(Exception):
                    connection.close()  # never reuse a connection that may be broken
                worked = {}
            if not worked:
                deadline = time.monotonic() + wait
                while not self.stopping and time.monotonic() < deadline:
                    time.sleep(min(0.2, interval))
        keeper.stop()
        with contextlib.suppress(Exception):
            close_old_connections()
            results.write_held()  # one last try: what was sent while the database was away
        results.log_unsettled()
        self.stdout.write("outbox worker stopped")
