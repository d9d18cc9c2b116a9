"""`mock-interview users add|remove|list|passwd`, and the global `--user` option."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from interviewer.cli.common import console, fail, print_json, print_table
from interviewer.service import USER_ENV, AccountError, UserStore, open_database
from interviewer.settings import data_home

app = typer.Typer(help="账号 / accounts for a shared installation.", no_args_is_help=True)
Name = Annotated[str, typer.Argument(help="User name.")]
PasswordStdin = Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin (scripts).")]


def select_user(user: str | None) -> None:
    """Act as `user` for this run (the global `--user` option); None keeps $MOCK_INTERVIEWER_USER."""
    if user is not None:
        # Commands build their service from the environment; the flag wins over the variable.
        os.environ[USER_ENV] = user


def _users() -> UserStore:
    return UserStore(open_database(data_home()))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


@app.command()
def add(name: Name, password_stdin: PasswordStdin = False) -> None:
    """Create an account (asks for the password twice)."""
    try:
        _users().add(name, _password(password_stdin))
    except AccountError as error:
        fail(str(error))
    console.print(f"added {name}", highlight=False, markup=False)


@app.command()
def passwd(name: Name, password_stdin: PasswordStdin = False) -> None:
    """Set a new password."""
    try:
        _users().set_password(name, _password(password_stdin))
    except AccountError as error:
        fail(str(error))
    console.print(f"password changed for {name}", highlight=False, markup=False)


@app.command()
def remove(name: Name, yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
           keep_sessions: Annotated[bool, typer.Option("--keep-sessions", help="Keep the user's sessions.")] = False,
           ) -> None:
    """Delete an account and, unless --keep-sessions, its sessions."""
    from interviewer.service import SessionDatabase

    store = _users()
    if not yes and not typer.confirm(f"delete user {name}?"):
        raise typer.Exit(1)
    try:
        store.remove(name)
    except AccountError as error:
        fail(str(error))
    deleted = 0 if keep_sessions else SessionDatabase(store.database).delete_owner(name)
    console.print(f"removed {name} ({deleted} sessions deleted)", highlight=False, markup=False)


@app.command("list")
def list_users(as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False) -> None:
    """Every account."""
    users = _users().list()
    if as_json:
        print_json(users)
        return
    print_table("账号 / users", ["name", "created"], [(user["name"], user["created_at"]) for user in users])
