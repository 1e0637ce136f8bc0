"""deploy/compose.yaml, the Dockerfile and their env files, checked offline (no Docker on this machine).

Compose's own steps are replayed: ${...} interpolated from deploy/env.example (as `docker compose` does
from deploy/.env), anchors and merge keys resolved, then the file is parsed by compose-spec (a strict
Compose Specification parser: unknown keys, bad durations, bad depends_on conditions are errors).
"""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from compose_spec import PyCompose
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.config import Settings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
ASSISTANT_SERVICES = ("api", "worker", "gpu-worker")
QDRANT_NODES = ("qdrant-0", "qdrant-1", "qdrant-2")
# $$ (a literal $), ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, $NAME
VARIABLE = re.compile(r"\$(?:(\$)|\{(\w+)(?:(:?[-?])([^}]*))?\}|(\w+))")
SETTING_NAME = re.compile(r"\bASSISTANT_[A-Z0-9_]+\b")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|API_KEY|TOKEN|AES_KEY|DATABASE_URL")


# `assistant worker` comes with the scale-out branch (issue 13); until it is merged this test must fail.
def read_env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs if not k.lstrip().startswith("#")}


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's interpolation, applied to every string of the parsed file."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match.group(1):
            return "$"
        name, op, arg = match.group(2) or match.group(5), match.group(3), match.group(4)
        current = env.get(name)
        if op in (":-", "-"):
            unset = not current if op == ":-" else current is None
            return arg if unset else str(current)
        if current is None or (op == ":?" and not current):
            raise KeyError(f"${{{name}}} is not set: {arg or 'no default'}")
        return current

    return VARIABLE.sub(substitute, value)


def load_compose(env: dict[str, str]) -> dict[str, Any]:
    data = interpolate(yaml.safe_load(COMPOSE.read_text()), env)
    spec = PyCompose.from_json(json.dumps(data))  # raises ValueError on anything off-spec
    spec.validate()  # networks, volumes, secrets referenced are defined
    compose: dict[str, Any] = data
    return compose


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose(read_env_file(DEPLOY / "env.example"))


def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


def environment(service: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in (service.get("environment") or {}).items()}


def settings_from(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """What `assistant` reads from this environment (fails as the service would on a bad value)."""
    for name in [n for n in os.environ if n.startswith("ASSISTANT_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_compose_file_follows_the_compose_spec_and_needs_its_secrets(compose):
    names = services(compose)
    assert set(names) == {"postgres", *QDRANT_NODES, *ASSISTANT_SERVICES, "proxy"}
    for name, service in names.items():
        for needed in service.get("depends_on", {}):
            assert needed in names, f"{name} depends on an undefined service {needed}"
    # Without deploy/.env's secrets, Compose refuses to start rather than run with empty passwords.
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD"):
        load_compose({})


def test_a_typo_in_the_compose_file_is_caught():
    data = yaml.safe_load(COMPOSE.read_text())
    data["services"]["api"]["healthcheck"]["intervall"] = "15s"
    with pytest.raises(ValueError, match="intervall"):
        PyCompose.from_json(json.dumps(interpolate(data, read_env_file(DEPLOY / "env.example"))))


def test_every_service_has_a_healthcheck_restart_and_resource_limits(compose):
    for name, service in services(compose).items():
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name}: no healthcheck"
        assert service.get("restart") == "unless-stopped", name
        resources = service["deploy"]["resources"]
        assert {"cpus", "memory"} <= set(resources["limits"]), name
        assert {"cpus", "memory"} <= set(resources["reservations"]), name


def test_api_replicas_and_workers_share_postgres_and_the_qdrant_cluster(compose, monkeypatch):
    names = services(compose)
    assert names["api"]["deploy"]["replicas"] == 2
    for name in ASSISTANT_SERVICES:
        env = environment(names[name])
        settings = settings_from(env, monkeypatch)
        assert urlsplit(settings.resolved_database_url).scheme == "postgresql", name
        assert urlsplit(settings.resolved_database_url).hostname == "postgres", name
        qdrant_host = urlsplit(settings.qdrant_url or "").hostname
        for node in QDRANT_NODES:  # the URL's name is an alias every node answers to
            assert qdrant_host in names[node]["networks"]["default"]["aliases"], (name, node)
        assert (settings.qdrant_shards, settings.qdrant_replicas) == (6, 2), name
        assert settings.qdrant_shards % len(QDRANT_NODES) == 0, "shards spread evenly over the nodes"
        assert settings.ingest_roots == [Path("/srv/knowledge")]
        mounts = [v.split(":") for v in names[name]["volumes"]]
        assert ["./sample-kb", "/srv/knowledge", "ro"] in mounts, name
        assert {"postgres", *QDRANT_NODES} <= set(names[name]["depends_on"]), name
        # ingest jobs go to the workers (embedding on their own cores or the GPU), not the API replicas
        assert settings.serve_runs_jobs is (name != "api"), name
    # every service indexes and queries with one model: an index holds one model's vectors
    models = {
        (environment(names[n])["ASSISTANT_EMBEDDER"], environment(names[n])["ASSISTANT_EMBED_MODEL"])
        for n in ASSISTANT_SERVICES
    }
    assert len(models) == 1, models


def test_the_proxy_fronts_the_api_replicas_on_their_port(compose, monkeypatch):
    names = services(compose)
    port = settings_from(environment(names["api"]), monkeypatch).port
    assert f"http://127.0.0.1:{port}/readyz" in " ".join(names["api"]["healthcheck"]["test"])
    assert str(port) in names["api"]["expose"]
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert f"server api:{port}" in nginx
    listen = re.search(r"listen (\d+);", nginx)
    assert listen and names["proxy"]["ports"] == [f"{listen.group(1)}:{listen.group(1)}"]
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in names["proxy"]["volumes"]
    # the client address the API's per-address limits see: set by nginx, never appended to
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx
    assert names["proxy"]["depends_on"]["api"]["condition"] == "service_healthy"


def test_qdrant_nodes_form_one_cluster_bootstrapped_from_node_0(compose):
    names = services(compose)
    first = names["qdrant-0"]
    p2p = first["environment"]["QDRANT__CLUSTER__P2P__PORT"]
    assert p2p == "6335"
    for index, node in enumerate(QDRANT_NODES):
        service = names[node]
        assert service["image"] == first["image"] and service["image"].startswith("qdrant/qdrant:v")
        assert service["environment"]["QDRANT__CLUSTER__ENABLED"] == "true"
        assert service["environment"]["QDRANT__CLUSTER__P2P__PORT"] == p2p
        args = service["command"]
        assert args[args.index("--uri") + 1] == f"http://{node}:{p2p}"
        if index == 0:
            assert "--bootstrap" not in args
        else:
            assert args[args.index("--bootstrap") + 1] == f"http://qdrant-0:{p2p}"
            assert service["depends_on"]["qdrant-0"]["condition"] == "service_healthy"
        assert service["volumes"] == [f"{node}-storage:/qdrant/storage"]
        assert "/readyz" in " ".join(service["healthcheck"]["test"])


def test_gpu_worker_is_optional_and_reserves_an_nvidia_gpu(compose, monkeypatch):
    names = services(compose)
    gpu = names["gpu-worker"]
    assert gpu["profiles"] == ["gpu"]
    assert all(not names[n].get("profiles") for n in names if n != "gpu-worker")
    (device,) = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]
    assert settings_from(environment(gpu), monkeypatch).embed_device == "cuda"
    assert "cu" in gpu["build"]["args"]["TORCH_INDEX_URL"].rsplit("/", 1)[-1]
    # the model folder the GPU setup names is the one the image exports
    example = (DEPLOY / "env.example").read_text()
    folder = re.search(r"ASSISTANT_EMBED_MODEL=(\S+)", example)
    assert folder and f"assistant embedder export {folder.group(1)}" in (REPO / "Dockerfile").read_text()


def test_no_secret_is_written_in_the_compose_file(compose):
    raw = yaml.safe_load(COMPOSE.read_text())
    for name, service in raw["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                assert "${" in str(value), f"{name}: {key} is a literal; take it from deploy/.env"
    ignored = (REPO / ".gitignore").read_text().splitlines()
    assert {"deploy/.env", "deploy/assistant.env"} <= set(ignored)


def test_every_assistant_setting_named_in_the_deploy_files_exists():
    known = {f"ASSISTANT_{name.upper()}" for name in Settings.model_fields}
    files = [COMPOSE, DEPLOY / "env.example", DEPLOY / "assistant.env.example", REPO / "Dockerfile"]
    files += sorted((DEPLOY / "helm").rglob("*.y*ml")) + sorted((DEPLOY / "helm").rglob("*.tpl"))
    used = {(path.name, name) for path in files for name in SETTING_NAME.findall(path.read_text())}
    assert len(used) > 20
    unknown = sorted((f, n) for f, n in used if n not in known)
    assert not unknown, f"not settings in assistant/config.py: {unknown}"


def test_commands_the_deploy_files_run_exist(compose):
    commands = {tuple(s["command"]) for s in services(compose).values() if s.get("command")}
    commands |= {tuple(s["healthcheck"]["test"][1:]) for s in services(compose).values()}
    dockerfile = (REPO / "Dockerfile").read_text()
    commands |= {
        tuple(shlex.split(line.split("RUN ", 1)[1])[:3])
        for line in dockerfile.splitlines()
        if line.startswith("RUN assistant ")
    }
    ours = sorted({c[:2] for c in commands if c[0] == "assistant"})
    assert ("assistant", "serve") in ours and ("assistant", "worker") in ours
    runner = CliRunner()
    for command in ours:
        result = runner.invoke(app, [*command[1:], "--help"])
        assert result.exit_code == 0, f"`{' '.join(command)}` is not a command: {result.output}"
    assert runner.invoke(app, ["worker", "--help"]).output.count("--check") >= 1


def test_the_image_installs_the_one_package_list_and_the_pinned_torch():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert dockerfile.splitlines()[0].startswith("#")
    assert re.findall(r"^FROM (\S+)", dockerfile, re.M) == ["python:3.11-slim", "python:3.11-slim"]
    assert "system-packages.sh --only runtime" in dockerfile
    assert "system-packages.sh --only build" in dockerfile
    pin = re.search(r'"(torch==[\d.]+)"', (REPO / "pyproject.toml").read_text())
    assert pin and f"{pin.group(1)}\n" in dockerfile
    assert "HF_HUB_OFFLINE=1" in dockerfile  # nothing downloads at run time
    # every file the build copies from the context gets past .dockerignore (an allow-list)
    allowed = {
        line[1:].rstrip("/")
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    }
    copied = [
        src
        for line in dockerfile.splitlines()
        if line.startswith("COPY ") and "--from" not in line
        for src in line.split()[1:-1]
    ]
    assert copied and all(src in allowed for src in copied), (copied, allowed)
    assert all((REPO / src).exists() for src in copied)
