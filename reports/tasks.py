"""Background jobs (django-tasks, "reports" queue; `manage.py db_worker --queue-name '*'` runs them).

Imported by `reports.services` (which enqueues); runs `reports.generation` (which never imports either).
"""

from django_tasks import task

from . import generation


@task(queue_name="reports")
def generate_report(version_id):
    version = generation.report_run(version_id=version_id)
    return {"status": version.status, "sha256": version.sha256}
