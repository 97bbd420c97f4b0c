"""The one task the task backend (database, or RQ when REDIS_URL is set) knows about: run
attempt ``attempt`` of job ``job_id``. Everything else lives on our Job row."""

from django_tasks import task

from .runner import run_job


@task()
def run_job_task(job_id: int, attempt: int) -> str:
    return run_job(job_id, attempt)
