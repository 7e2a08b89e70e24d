"""Background jobs of the kernel (django-tasks, "imports" queue; `manage.py db_worker --queue-name '*'` runs them).

Imported lazily by `core.imports` (which enqueues); runs `core.imports.job_run`.
"""

from django_tasks import task


@task(queue_name="imports")
def run_import(job_id):
    from . import imports

    job = imports.job_run(job_id)
    return {"status": job.status if job else "missing"}


@task(queue_name="default")
def sign_document(row_id):
    from . import signing

    row = signing.signing_run(row_id)
    return {"status": row.status if row else "missing"}
