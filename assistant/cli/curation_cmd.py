"""`assistant review ...` and `assistant curated ...`: the curator's queue and curated answers.

Each command acts as a named user (`--as NAME`) with that user's roles and groups, through the same
services the HTTP API uses (assistant/curation).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from assistant.access import AccessDenied, Principal
from assistant.channels.digest import send_digests
from assistant.cli.context import ServiceRunning, load_settings, open_services, service_client
from assistant.cli.database import fail
from assistant.db.curated import RETIRED, CuratedDraft, ReviewConflict
from assistant.services import Services

review_app = typer.Typer(help="The curators' review queue.", no_args_is_help=True)
curated_app = typer.Typer(help="Curated answers, approved by a second curator.", no_args_is_help=True)

AsUser = Annotated[str, typer.Option("--as", help="Act as this user (a curator or admin).")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
    app.add_typer(curated_app, name="curated")


@contextmanager
def _acting_as(name: str) -> Iterator[tuple[Services, Principal]]:
    """Services and the user's principal; known failures end the command with one line."""
    settings = load_settings()
    try:
        with open_services(settings) as services:
            user = services.users.get(name)
            if user is None or user.disabled:
                fail(f"no enabled user {name!r}")
            try:
                yield services, user.principal()
            except (AccessDenied, LookupError, ReviewConflict, ValueError) as exc:
                fail(str(exc).strip("'\""))
    except ServiceRunning as running:
        fail(
            f"a service is running at {running.info.get('url')} and holds the index: use its HTTP API "
            "with your token (README: Curators), or stop it"
        )


def _emit(data: Any, as_json: bool, text: Callable[[Any], str]) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else text(data))


def _item_line(item: dict[str, Any]) -> str:
    who = f" -> {item['assignee']}" if item["assignee"] else ""
    return (
        f"#{item['id']} [{item['state']}{who}] {','.join(item['kinds'])} x{item['count']}  {item['question']}"
    )


def _item_text(item: dict[str, Any]) -> str:
    lines = [_item_line(item), "examples:", *(f"  - {q}" for q in item["examples"])]
    lines += [
        "askers:",
        *(f"  - {a['user']} ({','.join(a['roles'])}, {a['channel']})" for a in item["askers"]),
    ]
    lines += ["comments:", *(f"  - {c}" for c in item["comments"])] if item["comments"] else []
    lines += ["answers given:"] + [
        f"  - {a['answer_id'][:8]} grounded={a['grounded']} cites={','.join(a['citations']) or '-'}: {a['answer']}"
        for a in item["answers"]
    ]
    lines += [f"note by {n['by']} ({n['action']}): {n['text']}" for n in item["notes"] if n.get("text")]
    if item["resolution"]:
        lines.append(f"resolution: {item['resolution']} {item['resolution_ref'] or ''}".rstrip())
    return "\n".join(lines)


@review_app.command("list")
def review_list(
    as_user: AsUser,
    state: Annotated[str | None, typer.Option(help="open, assigned, resolved or dismissed")] = None,
    kind: Annotated[
        str | None, typer.Option(help="feedback_down, not_found, expired_source, repeated")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Items within your groups, most asked first."""
    with _acting_as(as_user) as (services, principal):
        items = services.review.list(principal, state, kind)
    _emit(items, as_json, lambda rows: "\n".join(map(_item_line, rows)) or "the queue is empty")


@review_app.command("show")
def review_show(item_id: int, as_user: AsUser, as_json: JsonFlag = False) -> None:
    """One item: its example questions, who asked, the answers given, comments and notes."""
    with _acting_as(as_user) as (services, principal):
        item = services.review.get(principal, item_id)
    _emit(item, as_json, _item_text)


@review_app.command("assign")
def review_assign(
    item_id: int,
    as_user: AsUser,
    to: Annotated[str | None, typer.Option("--to", help="Curator to assign (default: you)")] = None,
    note: Annotated[str | None, typer.Option(help="A note on the item")] = None,
) -> None:
    """Take an item (or give it to another curator)."""
    with _acting_as(as_user) as (services, principal):
        item = services.review.act(principal, item_id, "assign", assignee=to, note=note)
    typer.echo(_item_line(item))


@review_app.command("resolve")
def review_resolve(
    item_id: int,
    as_user: AsUser,
    curated: Annotated[int | None, typer.Option("--curated", help="The curated answer that fixes it")] = None,
    document: Annotated[str | None, typer.Option(help="Link to the fixed document version")] = None,
    gap: Annotated[bool, typer.Option("--gap", help="Content gap: no document exists yet")] = False,
    dismiss: Annotated[bool, typer.Option(help="Dismiss instead (not a real problem)")] = False,
    note: Annotated[str | None, typer.Option(help="A note on the item")] = None,
) -> None:
    """Close an item: with a curated answer, a document fix, as a content gap, or dismissed."""
    with _acting_as(as_user) as (services, principal):
        if dismiss:
            item = services.review.act(principal, item_id, "dismiss", note=note)
        else:
            item = services.review.act(
                principal,
                item_id,
                "resolve",
                note=note,
                curated_answer_id=curated,
                document=document,
                resolution="content_gap" if gap else None,
            )
    typer.echo(_item_line(item))


@review_app.command("digest")
def review_digest(
    send: Annotated[bool, typer.Option("--send", help="Deliver by Slack/WeCom DM (else print)")] = False,
) -> None:
    """The daily digest for curators who opted in (`digest on` in a DM); run it daily, e.g. from cron."""
    settings = load_settings()
    try:
        with open_services(settings) as services:
            if send:
                sent = send_digests(services)
                typer.echo(f"sent {len(sent)} digest(s)")
                return
            for digest in services.digests.due():
                typer.secho(f"{digest.user.name} ({digest.platform})", bold=True)
                typer.echo(digest.text)
    except ServiceRunning as running:
        if not send:
            fail("a service is running and holds the index: use --send, which asks the service to send")
        with service_client(running.info) as client:
            response = client.post("/v1/review/digest")
        if response.status_code >= 400:
            fail(response.json().get("error", {}).get("message", response.text))
        typer.echo(f"sent {len(response.json()['sent'])} digest(s)")


def _curated_line(c: dict[str, Any]) -> str:
    review = f" by {c['reviewer']}" if c["reviewer"] and c["state"] != RETIRED else ""  # who retired: reason
    reason = f" ({c['reason']})" if c["reason"] else ""
    head = f"#{c['id']} v{c['version']} of {c['root_id']} [{c['state']}{review}]{reason}"
    return f"{head} {c['access_level']}/{','.join(c['groups']) or '*'} by {c['author']}: {c['question']}"


@curated_app.command("add")
def curated_add(
    as_user: AsUser,
    question: Annotated[str, typer.Option(help="The question it answers")],
    answer: Annotated[str, typer.Option(help="The answer text")],
    access_level: Annotated[str, typer.Option(help="Who may read it, like a document")],
    cite: Annotated[list[str] | None, typer.Option("--cite", help="Cited document id; repeatable")] = None,
    group: Annotated[
        list[str] | None, typer.Option("--group", help="Group; repeatable (default all)")
    ] = None,
    item: Annotated[int | None, typer.Option(help="The review item it answers")] = None,
    revises: Annotated[int | None, typer.Option(help="A new version of this curated answer")] = None,
) -> None:
    """Write a curated answer (or a new version of one); it waits for another curator's approval."""
    draft = CuratedDraft(question, answer, tuple(cite or ()), access_level, tuple(group or ()), item)
    with _acting_as(as_user) as (services, principal):
        created = services.curated.submit(principal, draft, revises=revises)
    typer.echo(_curated_line(created.to_dict()))


@curated_app.command("approve")
def curated_approve(curated_id: int, as_user: AsUser) -> None:
    """Approve another curator's answer: it goes live."""
    with _acting_as(as_user) as (services, principal):
        approved = services.curated.approve(principal, curated_id)
    typer.echo(_curated_line(approved.to_dict()))


@curated_app.command("reject")
def curated_reject(
    curated_id: int, as_user: AsUser, reason: Annotated[str, typer.Option(help="Why, for the author")]
) -> None:
    """Send an answer back to its author with a reason."""
    with _acting_as(as_user) as (services, principal):
        rejected = services.curated.reject(principal, curated_id, reason)
    typer.echo(_curated_line(rejected.to_dict()))


@curated_app.command("retire")
def curated_retire(curated_id: int, as_user: AsUser) -> None:
    """Take a live curated answer out of answers (a new version may be approved later)."""
    with _acting_as(as_user) as (services, principal):
        retired = services.curated.retire(principal, curated_id)
    typer.echo(_curated_line(retired.to_dict()))


@curated_app.command("list")
def curated_list(
    as_user: AsUser,
    state: Annotated[
        str | None, typer.Option(help="pending_review, approved, rejected, superseded, retired")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Curated answers you may read, newest first (`--state pending_review`: the approval inbox)."""
    with _acting_as(as_user) as (services, principal):
        rows = [c.to_dict() for c in services.curated.list_visible(principal, state)]
    _emit(rows, as_json, lambda data: "\n".join(map(_curated_line, data)) or "none")
