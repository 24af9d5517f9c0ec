"""A job's page (with its progress bar), its progress as JSON, its result, a retry; staff's list."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from accelerator.core.errors import NotFound
from accelerator.core.files import send_stored_file
from accelerator.core.forms import ConfirmForm
from accelerator.core.i18n import gettext as _
from accelerator.core.pagination import paginate
from accelerator.core.permissions import Role, current_actor, get_or_404, role_required
from accelerator.extensions import db
from accelerator.jobs import bp, queries, services
from accelerator.jobs.models import Job, JobStatus
from accelerator.jobs.policies import can_retry_job, can_view_job


def _watched(job_id: int) -> Job:
    """The job, if the person may see it; noted as seen by its starter (see services.seen)."""
    job = get_or_404(Job, job_id, policy=can_view_job)
    services.seen(job, viewer=current_user)
    db.session.commit()
    return job


@bp.route("/jobs/<int:job_id>")
@login_required
def show(job_id: int):
    job = _watched(job_id)
    return render_template(
        "jobs/show.html",
        job=job,
        standing=queries.standing(job),
        label=services.label_of(job),
        form=ConfirmForm(),
    )


@bp.route("/jobs/<int:job_id>/progress.json")
@login_required
def progress(job_id: int):
    """What the job page polls while the job is unfinished."""
    standing = queries.standing(_watched(job_id))
    response = jsonify(
        status=standing.status.value,
        label=standing.status.label,
        finished=standing.status.finished,
        done=standing.done,
        total=standing.total,
        percent=standing.percent,
        message=standing.message,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/jobs/<int:job_id>/result")
@login_required
def result(job_id: int):
    job = get_or_404(Job, job_id, policy=can_view_job)
    if job.result_file is None:
        raise NotFound(_("This job made no file to download."))
    return send_stored_file(job.result_file)


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@login_required
def retry(job_id: int):
    job = get_or_404(Job, job_id, policy=can_view_job)
    if ConfirmForm().validate_on_submit():
        if not can_retry_job(current_user, job):
            job.status.check_move("queued")  # says why (running, done)
        services.retry(job, actor=current_actor())
        db.session.commit()
        services.submit(job)
    return redirect(url_for(".show", job_id=job.id))


@bp.route("/jobs")
@role_required(Role.STAFF)
def index():
    tab = request.args.get("tab", "running")
    tab = tab if tab in queries.TABS else "running"
    return render_template(
        "jobs/index.html",
        tab=tab,
        page=paginate(queries.list_statement(tab)),
        counts=queries.counts(),
        labels=services.label_of,
        JobStatus=JobStatus,
        form=ConfirmForm(),
    )
