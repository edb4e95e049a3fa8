#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks examples/k8s-pod.yaml and examples/compose.yaml for tests/podman.sh.

    examples.py k8s FILE      -> "liveness <argv as JSON>", "readiness <argv as JSON>"
    examples.py compose FILE  -> "healthcheck <test as JSON>",
                                 "podman-health-cmd <the same for podman run --health-cmd>",
                                 "env KEY=VALUE"...

Parses the YAML (python3-yaml), asserts the keys the examples promise, and
prints what the shell test then runs for real inside a container.  On a
broken promise: one line per problem on stderr, exit 1.
"""
import json
import os
import sys

import yaml

problems = []


def need(cond, what):
    if not cond:
        problems.append(what)
    return cond


def probe_argv(container, name):
    probe = container.get(name)
    if not need(isinstance(probe, dict), f"{name} missing"):
        return None
    argv = (probe.get("exec") or {}).get("command")
    if not need(isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv),
                f"{name}.exec.command is not a list of strings: {argv!r}"):
        return None
    need(argv[0] == "shm-reader", f"{name}.exec.command[0] is {argv[0]!r}, not shm-reader")
    period = probe.get("periodSeconds", 10)
    need(isinstance(period, int) and period >= 1, f"{name}.periodSeconds {period!r} < 1")
    timeout = probe.get("timeoutSeconds", 1)
    need(isinstance(timeout, int) and timeout >= 1, f"{name}.timeoutSeconds {timeout!r} < 1")
    return argv


def k8s(path):
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    pods = [d for d in docs if d.get("kind") == "Pod"]
    if not need(len(pods) == 1 and pods[0].get("apiVersion") == "v1", "no single v1 Pod"):
        return
    containers = (pods[0].get("spec") or {}).get("containers") or []
    if not need(len(containers) >= 1, "spec.containers empty"):
        return
    c = containers[0]
    need(isinstance(c.get("name"), str) and isinstance(c.get("image"), str),
         "container without name or image")
    for e in c.get("env") or []:
        need(isinstance(e.get("value", ""), str), f"env {e.get('name')}: value must be a string")
    live = probe_argv(c, "livenessProbe")
    ready = probe_argv(c, "readinessProbe")
    if live:
        # Liveness restarts: pending updates must not fail it.
        need(any(live[i:i + 2] == ["--on-updates", "report"] for i in range(len(live))),
             f"livenessProbe lacks --on-updates report: {live}")
        print("liveness", json.dumps(live))
    if ready:
        print("readiness", json.dumps(ready))


def compose(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    services = (doc or {}).get("services") or {}
    app = services.get("app")
    if not need(isinstance(app, dict), "services.app missing"):
        return
    build = app.get("build") or {}
    ctx = os.path.join(os.path.dirname(os.path.abspath(path)), build.get("context", "."))
    dockerfile = os.path.join(ctx, build.get("dockerfile", "Dockerfile"))
    need(os.path.isfile(dockerfile), f"build: {dockerfile} does not exist")
    for src in ("build/static", "examples/entrypoint.sh"):
        need(os.path.exists(os.path.join(ctx, src)), f"build context {ctx} lacks {src}")
    hc = app.get("healthcheck") or {}
    test = hc.get("test")
    need(isinstance(test, list) and test[:2] == ["CMD", "shm-reader"],
         f"healthcheck.test is {test!r}, not [CMD, shm-reader, ...]")
    env = app.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    need(env.get("SHMHEALTH_ON_UPDATES") == "report",
         f"environment SHMHEALTH_ON_UPDATES is {env.get('SHMHEALTH_ON_UPDATES')!r}, not report")
    for name, svc in services.items():
        for dep, cond in ((svc or {}).get("depends_on") or {}).items():
            need(dep in services, f"{name} depends on unknown service {dep}")
    if isinstance(test, list) and test[:1] == ["CMD"]:
        print("healthcheck", json.dumps(test))
        # podman run --health-cmd takes no JSON array: "CMD a b" is exec form.
        if need(all(a and not any(c.isspace() for c in a) for a in test[1:]),
                f"healthcheck.test {test!r}: podman --health-cmd cannot quote it"):
            print("podman-health-cmd", " ".join(test))
    for k, v in env.items():
        need(isinstance(v, (str, int)), f"environment {k}: not a scalar")
        print("env", f"{k}={v}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("k8s", "compose"):
        sys.exit("usage: examples.py k8s|compose FILE")
    try:
        {"k8s": k8s, "compose": compose}[sys.argv[1]](sys.argv[2])
    except (OSError, yaml.YAMLError) as e:
        problems.append(f"{sys.argv[2]}: {e}")
    for p in problems:
        print(f"{sys.argv[2]}: {p}", file=sys.stderr)
    sys.exit(1 if problems else 0)
