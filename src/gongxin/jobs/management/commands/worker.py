"""``gongxin worker``: runs background jobs from the configured task backend (the database
by default, RQ when REDIS_URL is set) and, every minute, the periodic work (jobs/periodic.py).

``--once`` runs what is queued and exits (for cron or tests); ``--no-periodic`` leaves the
periodic work to another worker."""

import logging
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from gongxin.jobs.periodic import INTERVAL, run_periodic
from gongxin.jobs.runner import worker_name

logger = logging.getLogger("gongxin.jobs")


def start_periodic_thread(stop: threading.Event, interval: float = INTERVAL) -> threading.Thread:
    def loop():
        while not stop.is_set():
            run_periodic()
            stop.wait(interval)

    thread = threading.Thread(target=loop, name="gongxin-periodic", daemon=True)
    thread.start()
    return thread


class Command(BaseCommand):
    help = "运行后台任务进程。Run the background job worker."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理完排队的任务后退出 / run what is queued, then exit")
        parser.add_argument("--no-periodic", action="store_true", help="不运行定时任务 / skip the periodic work")
        parser.add_argument("--interval", type=float, default=1.0, help="空闲时查询间隔（秒）")

    def handle(self, *args, once, no_periodic, interval, verbosity, **options):
        logging.getLogger("gongxin.jobs").setLevel(logging.INFO if verbosity else logging.WARNING)
        backend = settings.TASKS["default"]["BACKEND"]
        self.stdout.write(f"公信后台任务进程 {worker_name()} · {backend}")
        stop = threading.Event()
        if once:
            if not no_periodic:
                run_periodic()
        elif not no_periodic:
            start_periodic_thread(stop)
        try:
            if "RQBackend" in backend:
                run_rq_worker(burst=once)
            else:
                run_db_worker(batch=once, interval=interval)
        finally:
            stop.set()


def run_db_worker(*, batch: bool, interval: float = 1.0) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default",
                    startup_delay=not batch, max_tasks=None, worker_id=get_random_string(32),
                    excluded_queue_names=[])
    if not batch:
        worker.configure_signals()
    worker.run()


def run_rq_worker(*, burst: bool, simple: bool = False) -> None:
    """RQ's worker with django-tasks-rq's job class. ``simple`` runs jobs in this process
    (tests); otherwise each job runs in a forked work horse, as RQ does by default."""
    import django_rq
    from django_tasks_rq.backend import Job as TaskJob
    from rq import SimpleWorker, Worker

    queue = django_rq.get_queue("default", job_class=TaskJob)
    worker_class = SimpleWorker if simple else Worker
    worker = worker_class([queue], connection=queue.connection, job_class=TaskJob)
    if not simple:
        from django.db import connections

        connections.close_all()  # a forked work horse must open its own
    worker.work(burst=burst, with_scheduler=False)
