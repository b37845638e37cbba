import contextlib
import logging
import signal
import time

from django.conf import settings
from django.core.management import BaseCommand
from django.db import DatabaseError, close_old_connections

from outbox import heartbeat, jobs, lease, results
from outbox.rounds import Rounds
from outbox.worker import drain, process_batch

logger = logging.getLogger("outbox.worker")


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
            self.stdout.write("outbox: " + self.once(batch_size))
            return
        interval = settings.OUTBOX_POLL_SECONDS if interval is None else interval
        self.stopping = False

        def stop(signum, frame):
            # Finish the batch in hand, then exit: a half-sent email is exactly what we avoid.
            self.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        logger.info("outbox worker started (looking every %gs); Ctrl-C or SIGTERM stops it", interval)
        schedule = jobs.Schedule()
        rounds = Rounds()  # a log id per round; a failure logged once per outage (outbox/rounds.py)
        keeper = lease.Keeper().start()  # renews the leases of the emails in hand, even mid-conversation

        def one_round():
            close_old_connections()  # survive a database restart: a broken connection is replaced
            heartbeat.beat()  # /healthz says "worker": "degraded" when this stops (outbox/heartbeat.py)
            schedule.run_due()  # each job logs its own failure; a database error fails the round
            return process_batch(batch_size)

        while not self.stopping:
            worked = rounds.run(one_round)
            wait = interval
            if rounds.failures:
                # Back off (up to a minute) so a long outage is not a tight loop of reconnects.
                wait = min(60.0, interval * 2 ** min(rounds.failures - 1, 4))
            if not worked:
                deadline = time.monotonic() + wait
                while not self.stopping and time.monotonic() < deadline:
                    time.sleep(min(0.2, interval))
        keeper.stop()
        rounds.run(self.settle_before_exit)
        logger.info("outbox worker stopped")

    def once(self, batch_size: int) -> str:
        heartbeat.beat(force=True)
        jobs.run_every_loop()
        try:
            totals = drain(batch_size)
        finally:
            results.log_unsettled()
        return " ".join(f"{k}={v}" for k, v in sorted(totals.items())) or "nothing due"

    @staticmethod
    def settle_before_exit() -> None:
        """One last try at writing what was sent while the database was away; what is still unwritten is named
        in the log."""
        if results.held():
            close_old_connections()
            with contextlib.suppress(DatabaseError):
                results.write_held()
        results.log_unsettled()
