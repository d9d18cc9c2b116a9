"""deploy/compose.yaml describes the same stack as deploy/stack.sh (no container runtime here, so the
file is checked against the script rather than run)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def script() -> str:
    return (DEPLOY / "stack.sh").read_text(encoding="utf-8")


def test_compose_has_the_scripts_services_with_health_checks() -> None:
    services = compose()["services"]
    replicas = sorted(name for name in services if re.fullmatch(r"app\d+", name))
    assert len(replicas) >= 2
    assert {"postgres", "chroma", "migrate", "nginx"} <= set(services)
    text = script()
    assert "initdb" in text and "chroma\" run" in text and "nginx -p" in text and "--replica" in text
    for name in ("postgres", "chroma", *replicas, "nginx"):
        assert "test" in services[name]["healthcheck"], name
    for name in replicas:
        assert "/healthz" in " ".join(services[name]["healthcheck"]["test"])
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["command"][-2:] == ["--replica", name]
    # Migrations and the index are built once, by one service, as the script does before the replicas.
    assert "mock-interview db migrate" in services["migrate"]["command"][-1]
    assert "mock-interview index" in services["migrate"]["command"][-1]
    assert text.index("db migrate") < text.index("index >/dev/null") < text.index("web --host")


def test_compose_sets_what_the_script_exports_for_every_replica() -> None:
    exported = set(re.findall(r"export (MOCK_INTERVIEWER_\w+)=", script()))
    assert exported == {"MOCK_INTERVIEWER_DATABASE_URL", "MOCK_INTERVIEWER_CHROMA_URL", "MOCK_INTERVIEWER_WEB_SECRET",
                        "MOCK_INTERVIEWER_HOME"}
    services = compose()["services"]
    for name in [name for name in services if name.startswith("app")] + ["migrate"]:
        environment = services[name]["environment"]
        assert set(environment) == exported, name
        assert environment["MOCK_INTERVIEWER_DATABASE_URL"].startswith("postgresql://")
        assert environment["MOCK_INTERVIEWER_CHROMA_URL"].startswith("http://chroma:")


def test_both_use_the_same_nginx_template_sticky_and_streaming() -> None:
    template = (DEPLOY / "nginx.conf.template").read_text(encoding="utf-8")
    for directive in ("hash $sticky_key consistent;", "add_header Set-Cookie $sticky_cookie;", "proxy_buffering off;", "proxy_set_header Upgrade $http_upgrade;",
                      "proxy_set_header Connection $connection_upgrade;", "proxy_http_version 1.1;"):
        assert directive in template
    assert "nginx.conf.template" in script()
    nginx = compose()["services"]["nginx"]
    assert any(volume.startswith("./nginx.conf.template:") for volume in nginx["volumes"])
    assert set(re.findall(r"\$\{(\w+)\}", template)) == {"UPSTREAM_SERVERS", "LISTEN"}
    assert {"UPSTREAM_SERVERS", "LISTEN"} <= set(nginx["environment"])


def test_the_rendered_nginx_config_is_valid(tmp_path: Path) -> None:
    if shutil.which("nginx") is None:
        raise AssertionError("nginx is not installed (apt-get install nginx)")
    body = subprocess.run(["envsubst", "${UPSTREAM_SERVERS} ${LISTEN}"], input=(DEPLOY / "nginx.conf.template")
                          .read_text(encoding="utf-8"), capture_output=True, text=True, check=True,
                          env={"UPSTREAM_SERVERS": "server 127.0.0.1:1;", "LISTEN": "127.0.0.1:1",
                               "PATH": "/usr/bin:/bin"}).stdout
    config = tmp_path / "nginx.conf"
    config.write_text(f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
                      f"http {{ access_log off; {body} }}\n", encoding="utf-8")
    checked = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
