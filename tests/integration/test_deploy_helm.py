"""deploy/helm/sales-assistant, linted and rendered offline by Helm's own Go SDK (helm-python-sdk).

No Kubernetes cluster runs here: what is checked is what `helm lint` and `helm template` would say, the
values schema, and the rendered manifests' shape (probes, resources, secrets, the settings they give).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import helm_python as helm
import pytest
import yaml

from assistant.config import Settings

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy" / "helm" / "sales-assistant"
GPU_VALUES = {
    "gpuWorker": {"enabled": True},
    "embedder": "sentence-transformers",
    "embedModel": "/opt/models/multilingual-e5-small",
}
WARNING = 2  # helm lint severities: 1 info, 2 warning, 3 error


def render(values: dict[str, Any] | None = None) -> dict[tuple[str, str], dict[str, Any]]:
    """The chart as `helm template sa CHART -n prod` renders it: {(kind, name): manifest}."""
    with helm.Chart.load(CHART) as chart:
        files = chart.render(values or {}, name="sa", namespace="prod")
    manifests = [
        doc
        for path, text in files.items()
        if path.endswith(".yaml")
        for doc in yaml.safe_load_all(text)
        if doc
    ]
    return {(m["kind"], m["metadata"]["name"]): m for m in manifests}


def container(manifest: dict[str, Any]) -> dict[str, Any]:
    (only,) = manifest["spec"]["template"]["spec"]["containers"]
    found: dict[str, Any] = only
    return found


def settings_in(objects: dict[tuple[str, str], dict[str, Any]], deployment: str) -> Settings:
    """The Settings a container of `deployment` would read (secret values stand in as placeholders)."""
    spec = container(objects[("Deployment", deployment)])
    env = dict(objects[("ConfigMap", "sa-sales-assistant")]["data"])
    for item in spec.get("env", []):
        env[item["name"]] = item.get("value") or "postgresql://u:secret@db:5432/assistant"
    with pytest.MonkeyPatch.context() as mp:
        for name in [n for n in os.environ if n.startswith("ASSISTANT_")]:
            mp.delenv(name)
        for name, value in env.items():
            mp.setenv(name, value)
        return Settings(_env_file=None)  # type: ignore[call-arg]


def test_chart_lints_clean():
    report = helm.lint(str(CHART))
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= WARNING] == []


def test_default_values_render_two_api_replicas_and_a_worker_with_probes_and_resources():
    objects = render()
    kinds = sorted(objects)
    assert kinds == [
        ("ConfigMap", "sa-sales-assistant"),
        ("Deployment", "sa-sales-assistant-api"),
        ("Deployment", "sa-sales-assistant-worker"),
        ("PodDisruptionBudget", "sa-sales-assistant-api"),
        ("Service", "sa-sales-assistant"),
    ]
    api = objects[("Deployment", "sa-sales-assistant-api")]
    assert api["spec"]["replicas"] == 2
    spec = container(api)
    assert spec["command"] == ["assistant", "serve"]
    assert spec["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert spec["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    (port,) = spec["ports"]
    assert port["containerPort"] == settings_in(objects, "sa-sales-assistant-api").port
    service = objects[("Service", "sa-sales-assistant")]
    assert service["spec"]["ports"][0]["targetPort"] == port["name"]
    assert service["spec"]["selector"] == api["spec"]["selector"]["matchLabels"]
    assert not settings_in(objects, "sa-sales-assistant-api").serve_runs_jobs  # the workers take the jobs
    worker = container(objects[("Deployment", "sa-sales-assistant-worker")])
    assert worker["command"] == ["assistant", "worker"]
    for probe in ("livenessProbe", "readinessProbe"):
        assert worker[probe]["exec"]["command"] == ["assistant", "worker", "--check"]
    for deployment in ("sa-sales-assistant-api", "sa-sales-assistant-worker"):
        resources = container(objects[("Deployment", deployment)])["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]) and {"cpu", "memory"} <= set(
            resources["limits"]
        )


def test_secrets_are_referenced_never_written():
    objects = render()
    for deployment in ("sa-sales-assistant-api", "sa-sales-assistant-worker"):
        env = {e["name"]: e for e in container(objects[("Deployment", deployment)])["env"]}
        assert env["ASSISTANT_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
            "name": "sales-assistant-db",
            "key": "url",
        }
        assert env["ASSISTANT_QDRANT_API_KEY"]["valueFrom"]["secretKeyRef"]["name"] == "qdrant-apikey"
    config = objects[("ConfigMap", "sa-sales-assistant")]["data"]
    assert not [k for k in config if any(s in k for s in ("PASSWORD", "SECRET", "API_KEY", "DATABASE"))]
    assert not any(kind == "Secret" for kind, _ in objects)


def test_rendered_settings_create_a_replicated_collection_on_the_cluster():
    settings = settings_in(render(), "sa-sales-assistant-api")
    assert settings.qdrant_url == "http://qdrant:6333"
    assert (settings.qdrant_shards, settings.qdrant_replicas, settings.qdrant_write_consistency) == (6, 2, 1)
    qdrant = yaml.safe_load((CHART.parent / "qdrant-values.yaml").read_text())
    assert qdrant["replicaCount"] == 3 and qdrant["config"]["cluster"]["enabled"] is True
    assert settings.qdrant_shards % qdrant["replicaCount"] == 0
    compose = (REPO / "deploy" / "compose.yaml").read_text()
    assert f"image: qdrant/qdrant:{qdrant['image']['tag']}" in compose  # one Qdrant version


def test_gpu_worker_asks_for_a_gpu_and_shares_the_model_of_every_service():
    objects = render(GPU_VALUES)
    gpu = container(objects[("Deployment", "sa-sales-assistant-gpu-worker")])
    assert gpu["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert gpu["image"].endswith("-gpu")
    settings = settings_in(objects, "sa-sales-assistant-gpu-worker")
    assert settings.embed_device == "cuda" and settings.embedder == "sentence-transformers"
    api = settings_in(objects, "sa-sales-assistant-api")
    assert (api.embedder, api.embed_model) == (settings.embedder, settings.embed_model)


def test_gpu_worker_with_the_cpu_embedder_is_refused_with_the_reason():
    with pytest.raises(helm.HelmError, match="embedder: sentence-transformers"):
        render({"gpuWorker": {"enabled": True}})


@pytest.mark.parametrize(
    "values",
    [
        {"api": {"replicas": 0}},
        {"qdrant": {"writeConsistency": 0}},
        {"replicaCount": 3},  # not a value of this chart (a typo of api.replicas)
        {"extraEnv": {"DATABASE_URL": "x"}},  # settings are ASSISTANT_* names
        {"gpuWorker": {"resources": {"limits": {"nvidia.com/gpu": None}}}},  # null drops it: no GPU
        {"embedder": "hash"},  # the test-only embedder
    ],
)
def test_values_schema_refuses_mistakes(values):
    with pytest.raises(helm.HelmError, match="schema"):
        render(values)


def test_ingress_trusted_proxies_and_knowledge_volume_when_asked_for():
    objects = render(
        {
            "ingress": {"enabled": True, "host": "kb.example.com"},
            "knowledge": {"existingClaim": "kb"},
            "api": {"trustedProxies": "10.0.0.0/8"},
        }
    )
    api_env = {
        e["name"]: e.get("value") for e in container(objects[("Deployment", "sa-sales-assistant-api")])["env"]
    }
    assert (
        api_env["FORWARDED_ALLOW_IPS"] == "10.0.0.0/8"
    )  # uvicorn then takes the client from X-Forwarded-For
    assert "FORWARDED_ALLOW_IPS" not in {
        e["name"] for e in container(render()[("Deployment", "sa-sales-assistant-api")])["env"]
    }
    rule = objects[("Ingress", "sa-sales-assistant")]["spec"]["rules"][0]
    assert rule["host"] == "kb.example.com"
    assert rule["http"]["paths"][0]["backend"]["service"]["name"] == "sa-sales-assistant"
    settings = settings_in(objects, "sa-sales-assistant-worker")
    assert settings.ingest_roots == [Path("/srv/knowledge")]
    mounts = container(objects[("Deployment", "sa-sales-assistant-worker")])["volumeMounts"]
    assert {"name": "knowledge", "mountPath": "/srv/knowledge", "readOnly": True} in mounts
