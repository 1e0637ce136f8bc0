"""The sign-in mapping file: what directory groups grant, and clear errors for a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import AccessPolicy
from assistant.api.signin.mapping import DirectoryMapping, claim_values

FILE = """
claim: roles_and_groups
default: {roles: [support]}
groups:
  sales-east: {roles: [rep], groups: [east]}
  managers-east: {roles: [manager], groups: [east]}
wecom_departments:
  "3": {roles: [rep], groups: [south]}
"""


def _load(tmp_path: Path, text: str) -> DirectoryMapping:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return DirectoryMapping.load(path, AccessPolicy.load())


def test_default_plus_every_matching_group(tmp_path: Path) -> None:
    mapping = _load(tmp_path, FILE)
    access = mapping.access_for(["sales-east", "managers-east", "unknown"], [])
    assert access is not None
    assert (access.roles, access.groups) == (["support", "rep", "manager"], ["east"])
    south = mapping.access_for([], ["3", "99"])
    assert south is not None and (south.roles, south.groups) == (["support", "rep"], ["south"])
    assert mapping.claim == "roles_and_groups"


def test_no_file_grants_and_takes_nothing() -> None:
    assert DirectoryMapping.load(None, AccessPolicy.load()).access_for(["sales-east"], ["3"]) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("groups:\n  sales: {roles: [wizard]}\n", "unknown role 'wizard'"),
        ("groups:\n  sales: {roles: [rep], region: east}\n", "region"),
        ("groups: [not, a, map]\n", "groups"),
        ("claim: [unclosed\n", "mapping file"),
    ],
)
def test_a_bad_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _load(tmp_path, text)


def test_group_claim_as_list_or_space_separated_string() -> None:
    assert claim_values({"groups": ["a", "b"]}, "groups") == ["a", "b"]
    assert claim_values({"groups": "a b"}, "groups") == ["a", "b"]
    assert claim_values({}, "groups") == []
