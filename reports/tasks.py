"""Background jobs (django-tasks, "reports" queue; `manage.py db_worker --queue-name '*'` runs them)."""

from django_tasks import task


@task(queue_name="reports")
def generate_report(version_id):
    from . import services

    version = services.report_run(version_id=version_id)
    return {"status": version.status, "sha256": version.sha256}
