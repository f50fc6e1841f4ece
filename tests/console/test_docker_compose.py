from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_docker_compose_parses_and_names_the_production_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert "gunicorn" in " ".join(services["web"]["command"])
    for name in ("postgres", "redis", "web"):
        assert "healthcheck" in services[name], name
    images = {services[name].get("image") for name in ("web", "worker", "beat")}
    assert len(images) == 1, "web, worker and beat run one image"
    assert (ROOT / "Dockerfile").exists()
