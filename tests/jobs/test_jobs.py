import datetime as dt
import logging
import os

import pytest
from django.utils import timezone

from gongxin.jobs import actions, runner
from gongxin.jobs.models import Job, JobStatus
from gongxin.jobs.periodic import run_periodic

from . import sample_jobs

pytestmark = pytest.mark.django_db


def _start(user, **params):
    return actions.start_job(acting_user=user, kind="test.count", title="计数任务",
                             func="tests.jobs.sample_jobs.count_to", params=params)


def test_job_runs_through_the_database_backend_and_its_file_downloads(clerk, client, run_worker,
                                                                    django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    # given a job started by the clerk: nothing is enqueued until the transaction commits
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = _start(clerk, n=25)
        assert DBTaskResult.objects.count() == 0
    # one enqueue after the commit (other callbacks, such as the lists' count versions, may run too)
    assert len([c for c in callbacks if "_enqueue_after_commit" in c.__qualname__]) == 1
    assert DBTaskResult.objects.count() == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    # when the worker runs what is queued
    run_worker()
    # then the job finished with its progress, result and file
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.done, job.total, job.percent) == (25, 25, 100)
    assert job.result == {"summary": "数到 25"}
    client.force_login(clerk)
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"25\n"
    page = client.get("/jobs/").content.decode()
    assert "计数任务" in page and "已完成" in page and "count.txt" in page


def test_another_user_cannot_see_or_download_a_job(clerk, org_admin, client):
    job = _start(clerk, n=3)
    runner.run_job(job.pk, 1)
    client.force_login(org_admin)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert "计数任务" not in client.get("/jobs/").content.decode()


def test_progress_is_written_at_most_twice_a_second_and_at_least_once(clerk, monkeypatch):
    job = _start(clerk, n=0)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    job.refresh_from_db()
    clock = [100.0]
    monkeypatch.setattr(runner.time, "monotonic", lambda: clock[0])
    progress = runner.Progress(job, 1)
    progress.set_total(1000)
    for _ in range(10):  # ten steps within the same instant: not written
        progress.advance()
    assert Job.objects.get(pk=job.pk).done == 0
    clock[0] += 0.6  # the next step after half a second: written
    progress.advance()
    row = Job.objects.get(pk=job.pk)
    assert (row.done, row.total) == (11, 1000)
    assert row.heartbeat_at is not None


def test_progress_page_polls_while_running_and_stops_when_done(clerk, client):
    job = _start(clerk, n=10)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, done=4, total=10)
    client.force_login(clerk)
    html = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html and "4 / 10" in html
    assert "刷新进度" in html  # the link for browsers without JavaScript
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, done=10)
    html = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in html and "已完成" in html


def test_a_failing_job_records_the_error_and_a_domain_error_its_message(clerk):
    job = _start(clerk, n=10, fail_at=4)
    assert runner.run_job(job.pk, 1) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "boom at 4" in job.error and "Traceback" in job.error_detail
    refused = actions.start_job(acting_user=clerk, kind="test.refuse", title="拒绝",
                                func="tests.jobs.sample_jobs.refuse")
    runner.run_job(refused.pk, 1)
    refused.refresh_from_db()
    assert refused.error == "文件第 3 行缺少姓名。"


def test_an_attempt_runs_once(clerk):
    job = _start(clerk, n=2)
    assert runner.run_job(job.pk, 1) == JobStatus.SUCCEEDED
    assert runner.run_job(job.pk, 1) == "skipped"  # the task delivered twice
    assert runner.run_job(job.pk, 2) == "skipped"


def test_a_job_whose_worker_died_is_retried_then_failed_with_the_reason(clerk, django_capture_on_commit_callbacks):
    # given a job left running by a worker that stopped five minutes ago
    job = _start(clerk, n=5)
    old = timezone.now() - dt.timedelta(minutes=5)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, heartbeat_at=old, worker="host:1")
    # when the reaper runs: it is queued again for a second attempt
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.reap_stale_jobs() == [(job.pk, JobStatus.QUEUED)]
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and "重新运行" in job.message
    # a fresh heartbeat is not reaped
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=2, heartbeat_at=timezone.now())
    assert actions.reap_stale_jobs() == []
    # the second attempt's worker dies too: failed, saying why
    Job.objects.filter(pk=job.pk).update(heartbeat_at=old)
    assert actions.reap_stale_jobs() == [(job.pk, JobStatus.FAILED)]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "停止响应" in job.error and "2 次" in job.error


def test_the_retried_attempt_finishes_the_job(clerk, run_worker, django_capture_on_commit_callbacks):
    job = _start(clerk, n=5)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1,
                                         heartbeat_at=timezone.now() - dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        actions.reap_stale_jobs()
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2


def test_a_superseded_attempt_stops_without_writing(clerk):
    job = _start(clerk, n=0)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    job.refresh_from_db()
    old_attempt = runner.Progress(job, 1)
    Job.objects.filter(pk=job.pk).update(attempts=2, done=7)  # the reaper gave it to attempt 2
    with pytest.raises(runner.JobSuperseded):
        old_attempt.set_total(100)
    assert Job.objects.get(pk=job.pk).done == 7


def test_periodic_calls_each_path_and_skips_one_that_cannot_be_imported(settings, caplog):
    settings.GONGXIN_PERIODIC = ["gongxin.no_such_module.checkpoint", "tests.jobs.sample_jobs.broken",
                                 "tests.jobs.sample_jobs.tick"]
    sample_jobs.TICKS.clear()
    with caplog.at_level(logging.WARNING, logger="gongxin.jobs"):
        ran = run_periodic()
    assert ran == ["gongxin.jobs.actions.reap_stale_jobs", "tests.jobs.sample_jobs.tick"]
    assert sample_jobs.TICKS == [1]
    assert "gongxin.no_such_module.checkpoint skipped" in caplog.text
    assert "tests.jobs.sample_jobs.broken failed" in caplog.text


REDIS_URL = os.environ.get("GONGXIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


def _redis_or_skip():
    try:
        import redis

        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        connection.ping()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({exc}): the RQ run is skipped")
    return connection


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_runs_through_rq(clerk, settings):
    """Once through the Redis backend (RQ), as with several app servers."""
    _redis_or_skip()
    from gongxin.jobs.management.commands.worker import run_rq_worker

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    import django_rq

    django_rq.get_queue("default").empty()
    job = _start(clerk, n=40)  # committed at once: no transaction around a transactional test
    assert django_rq.get_queue("default").count == 1
    run_rq_worker(burst=True, simple=True)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.done, job.total) == (40, 40)
