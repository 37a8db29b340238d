"""Background work: PDFs asked for in the browser. The task backend is chosen in settings (``DJANGO_TASKS``)."""

from django_tasks import task

from followup.jobs import render_job_run


@task()
def render_pdf(job_id: int) -> None:
    render_job_run(job_id=job_id)
