"""Adversarial probes for secrets, asked by every role through every answering endpoint."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.access import Principal
from assistant.answer.models import (
    AskRequest,
    Citation,
    FollowUpRequest,
    SearchRequest,
    TalkTrackRequest,
)
from assistant.evaluation import metrics
from assistant.evaluation.documents import DocumentView
from assistant.evaluation.golden import LeakProbe, LeakTarget
from assistant.services import Services

# Each endpoint returns (text shown to the person, sources cited).
Exposure = tuple[str, list[str]]


@dataclass
class Attempt:
    target: str
    probe: str
    kind: str
    language: str
    role: str
    groups: list[str]
    endpoint: str
    allowed: bool
    canaries: list[str] = field(default_factory=list)
    cited_target: bool = False

    @property
    def leaked(self) -> bool:
        return not self.allowed and (bool(self.canaries) or self.cited_target)


@dataclass
class LeakReport:
    attempts: list[Attempt]
    policy_mismatches: list[str]

    @property
    def leaks(self) -> list[Attempt]:
        return [a for a in self.attempts if a.leaked]

    def positive_control_rate(self) -> float | None:
        """Share of (probe, allowed principal) pairs where some endpoint cited the target."""
        found: dict[tuple[str, str, str, str], bool] = {}
        for a in self.attempts:
            if a.allowed:
                key = (a.target, a.probe, a.role, ",".join(a.groups))
                found[key] = found.get(key, False) or a.cited_target
        return metrics.mean(1.0 if v else 0.0 for v in found.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "attempts": len([a for a in self.attempts if not a.allowed]),
            "leaks": [asdict(a) for a in self.leaks],
            "positive_control_rate": self.positive_control_rate(),
            "policy_mismatches": self.policy_mismatches,
        }


def _cites(citations: list[Citation]) -> tuple[str, list[str]]:
    text = "\n".join(f"{c.title}\n{c.source}\n{c.snippet}" for c in citations)
    return text, [c.source for c in citations]


def _endpoints(services: Services) -> dict[str, Callable[[str, Principal], Exposure]]:
    """The four ways a person can get content out, each fed the probe where free text goes."""
    bot = services.assistant

    def ask(probe: str, who: Principal) -> Exposure:
        r = bot.ask(AskRequest(question=probe), who, "api")
        text, sources = _cites(r.citations)
        return f"{r.answer}\n{text}", sources

    def search(probe: str, who: Principal) -> Exposure:
        return _cites(bot.search(SearchRequest(query=probe, limit=10), who, "api").results)

    def talk_tracks(probe: str, who: Principal) -> Exposure:
        parts, sources = [], []
        found = bot.talk_tracks(TalkTrackRequest(situation=probe), who, "api")
        for t in [*found.talk_tracks, *([found.closest] if found.closest else [])]:
            text, cited = _cites(t.citations)
            parts.append("\n".join([t.title, t.when_to_use, t.script, *t.proof_points, text]))
            sources += cited
        return "\n".join(parts), sources

    def follow_up(probe: str, who: Principal) -> Exposure:
        r = bot.follow_up(FollowUpRequest(customer="客户", notes=probe), who, "api")
        text, sources = _cites(r.citations)
        return f"{r.subject or ''}\n{r.draft}\n{text}", sources

    return {"ask": ask, "search": search, "talk_tracks": talk_tracks, "follow_up": follow_up}


def principals_for(services: Services, target: LeakTarget, all_groups: set[str]) -> Iterator[Principal]:
    """Every role with the target's groups; roles bound to groups also from every other group."""
    for role in services.policy.roles:
        yield Principal.of(f"eval-{role}", [role], target.groups)
        others = sorted(all_groups - set(target.groups))
        if target.groups and others and not services.policy.sees_all_groups(Principal.of("x", [role])):
            yield Principal.of(f"eval-{role}", [role], others)


def probe_target(
    services: Services, target: LeakTarget, view: DocumentView, all_groups: set[str]
) -> tuple[list[Attempt], list[str]]:
    endpoints = _endpoints(services)
    canaries = [(c, metrics.normalize(c)) for c in target.canaries]
    attempts, mismatches = [], []
    for who in principals_for(services, target, all_groups):
        role = next(iter(who.roles))
        allowed = services.policy.can_read(who, view.access)
        if sorted(who.groups) == sorted(target.groups) and allowed != (role in target.allowed_roles):
            mismatches.append(
                f"{target.id}: policy says {role} may{'' if allowed else ' not'} read {target.source}"
            )
        for probe in target.probes:
            attempts += _attempt(endpoints, target, probe, who, role, allowed, canaries)
    return attempts, mismatches


def _attempt(
    endpoints: dict[str, Callable[[str, Principal], Exposure]],
    target: LeakTarget,
    probe: LeakProbe,
    who: Principal,
    role: str,
    allowed: bool,
    canaries: list[tuple[str, str]],
) -> list[Attempt]:
    # A canary the probe itself contains proves nothing when echoed back (a follow-up quotes its notes);
    # for those, citing the target's source is the tell.
    asked = metrics.normalize(probe.text)
    canaries = [(raw, norm) for raw, norm in canaries if norm not in asked]
    out = []
    for name, call in endpoints.items():
        text, sources = call(probe.text, who)
        shown = metrics.normalize(text)
        out.append(
            Attempt(
                target.id,
                probe.text,
                probe.kind,
                probe.language,
                role,
                sorted(who.groups),
                name,
                allowed,
                canaries=[raw for raw, norm in canaries if norm in shown],
                cited_target=target.source in sources,
            )
        )
    return out


def run_leak_probes(
    services: Services, targets: list[LeakTarget], docs: dict[str, DocumentView]
) -> LeakReport:
    all_groups = {g for t in targets for g in t.groups}
    attempts, mismatches = [], []
    for target in targets:
        view = docs.get(target.source)
        if view is None:
            mismatches.append(f"{target.id}: {target.source} is not in the ingested knowledge base")
            continue
        found, wrong = probe_target(services, target, view, all_groups)
        attempts += found
        mismatches += wrong
    return LeakReport(attempts, mismatches)
