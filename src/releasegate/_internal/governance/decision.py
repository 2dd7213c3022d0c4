"""The decision: every condition of the policy evaluated, each with its verdict.

A run is allowed only when no condition failed. The decision is made once, before the first
upload or signature, and its verdicts go to the report (``findings``) and the audit record
(``record``). The report's severities can be overridden by the checkout's configuration; the
refusal cannot: ``allowed`` alone decides it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import FatalError
from releasegate._internal.findings import Finding
from releasegate._internal.governance import source as policy_source
from releasegate._internal.governance.publishers import match, shown
from releasegate._internal.governance.token import TokenRefused, in_ci, verified_claims

if TYPE_CHECKING:
    from collections.abc import Mapping

    from releasegate._internal.findings import GateResult
    from releasegate._internal.governance.policy import Policy
    from releasegate._internal.governance.source import PolicySource
    from releasegate._internal.project import Project

CHECK = "governance"


@dataclass(frozen=True)
class Verdict:
    condition: str
    """The rule name: ``governance/<condition>`` when it fails."""
    passed: bool | None
    """None: not checked, and ``detail`` says why."""
    detail: str

    def as_dict(self) -> dict[str, Any]:
        state = {True: "passed", False: "failed", None: "not-checked"}[self.passed]
        return {"condition": self.condition, "verdict": state, "detail": self.detail}


@dataclass(frozen=True)
class Decision:
    action: str
    verdicts: tuple[Verdict, ...]
    where: str
    digest: str | None = None
    claims: dict[str, Any] = field(default_factory=dict)
    """The verified claims quoted in the record (the token never is)."""

    @property
    def allowed(self) -> bool:
        return all(v.passed is not False for v in self.verdicts)

    @property
    def failed(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.passed is False]

    def record(self) -> dict[str, Any]:
        """The audit record's ``governance`` entry."""
        return {
            "action": self.action,
            "allowed": self.allowed,
            "policy": self.where,
            "policy_digest": self.digest,
            "claims": self.claims,
            "verdicts": [v.as_dict() for v in self.verdicts],
        }

    def findings(self) -> list[Finding]:
        found = []
        for verdict in self.verdicts:
            if verdict.passed is False:
                found.append(
                    Finding(
                        CHECK,
                        verdict.condition,
                        f"{self.action} refused: {verdict.condition}: {verdict.detail}",
                        hint=HINTS.get(verdict.condition),
                        subject=verdict.condition,
                    )
                )
            else:
                rule = "satisfied" if verdict.passed else "not-checked"
                message = f"{verdict.condition}: {verdict.detail}"
                found.append(Finding(CHECK, rule, message, subject=verdict.condition))
        return found

    def result(self, project: Project) -> GateResult:
        from releasegate._internal.runner import result_of

        verdict = "allowed" if self.allowed else "refused"
        summary = (
            f"{self.action} {verdict} by {self.where} ({len(self.failed)} condition(s) failed)"
        )
        return result_of(CHECK, self.findings(), project, summary=summary, data=self.record())

    def refusal(self) -> FatalError:
        """The error of a command without a report (sign): every failed condition named."""
        lines = [f"{self.action} refused by the governance policy ({self.where}), nothing done:"]
        lines += [f"  {v.condition}: {v.detail}" for v in self.failed]
        return FatalError(
            "\n".join(lines), hint="docs/governance.md says what each condition needs"
        )


HINTS = {
    "policy": "the policy is read from the default branch: merge it there first",
    "local": "release from CI (the policy's publishers), or run with --dry-run",
    "identity": "run in the workflow and environment the policy lists, with "
    "`permissions: id-token: write`",
    "publisher": "release from a workflow the policy lists, or add it to the policy on the "
    "default branch",
    "commit": "release the commit the workflow was started for",
    "protected-branch": "merge the commit into the protected branch before releasing it",
    "signed-tag": "sign the tag (git tag -s) with a key listed in the allowed-signers file",
    "required-checks": "wait for the required checks to pass on the released commit",
    "reviewed": "release a commit merged through an approved pull request",
}


def decide(
    project: Project, action: str, *, dry_run: bool, env: Mapping[str, str]
) -> Decision | None:
    """The policy's decision for this run; None when the default branch sets no policy."""
    found = policy_source.read(project)
    if found.policy is None:
        if not found.in_checkout:
            return None
        detail = (
            f"the checkout's configuration sets a governance policy but {found.where} has "
            "none: a released commit never sets its own policy"
        )
        return Decision(action, (Verdict("policy", False, detail),), found.where)
    return _evaluate(project, action, found, found.policy, dry_run=dry_run, env=env)


@dataclass
class _Run:
    """What every condition reads: the checkout, the policy, the verified claims."""

    project: Project
    policy: Policy
    found: PolicySource
    env: Mapping[str, str]
    commit: str | None
    claims: dict[str, Any] = field(default_factory=dict)
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def branches(self) -> tuple[str, ...]:
        """The protected branches (names or globs): the policy's, else the default branch."""
        if self.policy.protected_branch:
            return self.policy.protected_branch
        return (self.found.branch,) if self.found.branch else ()

    def add(self, condition: str, passed: bool | None, detail: str) -> None:
        self.verdicts.append(Verdict(condition, passed, detail))


def _evaluate(
    project: Project,
    action: str,
    found: PolicySource,
    policy: Policy,
    *,
    dry_run: bool,
    env: Mapping[str, str],
) -> Decision:
    run = _Run(project, policy, found, env, project.git.head)
    note = "" if not found.in_checkout else "; the released commit's copy decides nothing"
    run.add("policy", True, f"read from {found.where} ({policy.digest}){note}")
    if in_ci(env):
        run.claims = _identity(policy, env, run.verdicts)
        if run.claims:
            _publisher(policy, run.claims, run.commit, run.verdicts)
    else:
        _local(policy, dry_run, run.verdicts)
    _what(run)
    return Decision(action, tuple(run.verdicts), found.where, policy.digest, shown(run.claims))


def _local(policy: Policy, dry_run: bool, verdicts: list[Verdict]) -> None:
    if dry_run:
        verdicts.append(Verdict("local", True, "outside CI: a dry run only"))
    elif policy.local == "dry-run-only":
        detail = "outside CI (no OIDC identity), the policy allows only --dry-run"
        verdicts.append(Verdict("local", False, detail))
    else:
        verdicts.append(Verdict("local", True, 'outside CI: allowed by local = "allow"'))
    verdicts.append(Verdict("identity", None, "outside CI: no OIDC identity to verify"))


def _identity(policy: Policy, env: Mapping[str, str], verdicts: list[Verdict]) -> dict[str, Any]:
    try:
        claims = verified_claims(env, policy.issuer, policy.audience)
    except TokenRefused as exc:
        verdicts.append(Verdict("identity", False, exc.message))
        return {}
    detail = (
        f"OIDC token of {policy.issuer} verified (signature, issuer, audience "
        f"{policy.audience!r}, expiry)"
    )
    verdicts.append(Verdict("identity", True, detail))
    return claims


def _publisher(
    policy: Policy, claims: Mapping[str, Any], commit: str | None, verdicts: list[Verdict]
) -> None:
    publisher, reasons = match(policy.publishers, claims)
    quoted = ", ".join(f"{k}={v!r}" for k, v in shown(claims).items())
    if publisher is None:
        why = "; ".join(reasons) if reasons else "the policy lists no publisher"
        verdicts.append(
            Verdict(
                "publisher",
                False,
                f"no allowed publisher matches ({why}); the token claims {quoted}",
            )
        )
    else:
        verdicts.append(Verdict("publisher", True, f"{publisher.describe()}"))
    sha = str(claims.get("sha", ""))
    if commit is not None and sha == commit:
        verdicts.append(
            Verdict("commit", True, f"the token's sha is the released commit {commit[:12]}")
        )
    else:
        detail = f"the token was issued for commit {sha[:12] or 'none'}, the release is {str(commit)[:12]}"
        verdicts.append(Verdict("commit", False, detail))


def _what(run: _Run) -> None:
    """The protected branch, the signed tag, and GitHub's checks and reviews."""
    from releasegate._internal.governance import commit as released

    git, commit, policy = run.project.git, run.commit, run.policy
    if commit is None:
        run.add("protected-branch", False, "not a git checkout with a commit")
        return
    if not run.branches:
        run.add("protected-branch", False, "no protected branch and no fetched default branch")
    else:
        run.add("protected-branch", *released.reachable(git, commit, run.branches))
    if policy.signed_tags and run.found.branch:
        # The signers file is the default branch's, like the policy that names it.
        default = run.found.branch
        ref = str(run.claims.get("ref") or "") or None
        run.add("signed-tag", *released.signed_tag(git, commit, ref, default, policy.signed_tags))
    if policy.required_checks or policy.reviewed_pull_request:
        _github(run, commit)


def _repository(policy: Policy, claims: Mapping[str, Any]) -> str | None:
    """The verified repository; outside CI the policy's own (it is the default branch's)."""
    if claims.get("repository"):
        return str(claims["repository"])
    names = {p.repository for p in policy.publishers}
    return names.pop() if len(names) == 1 else None


def _github(run: _Run, commit: str) -> None:
    from releasegate._internal.github.api import token_from_env
    from releasegate._internal.governance import checks

    policy = run.policy
    wanted = [
        name
        for name, asked in (
            ("required-checks", bool(policy.required_checks)),
            ("reviewed", policy.reviewed_pull_request),
        )
        if asked
    ]
    repository = _repository(policy, run.claims)
    if repository is None:
        for name in wanted:
            run.add(name, False, "no verified repository to ask GitHub about")
        return
    try:
        on_github = checks.commit_of(policy.api_url, token_from_env(run.env), repository, commit)
        if policy.required_checks:
            run.add("required-checks", *checks.required_checks(on_github, policy.required_checks))
        if policy.reviewed_pull_request:
            run.add("reviewed", *checks.reviewed(on_github, run.branches))
    except FatalError as exc:
        done = {v.condition for v in run.verdicts}
        for name in wanted:
            if name not in done:
                run.add(name, False, exc.message)
