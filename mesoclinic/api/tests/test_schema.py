"""The OpenAPI schema generates without warnings; the docs load their assets from us."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_the_schema_validates_without_warnings(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yaml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""
    schema = (tmp_path / "schema.yaml").read_text()
    for path in ("/api/v1/clinics/", "/api/v1/practitioners/", "/api/v1/patients/{id}/"):
        assert f"{path}:" in schema


@pytest.mark.django_db
def test_the_docs_page_uses_no_cdn(admin_client):
    # The docs and the schema are behind sign-in (issue 20).
    response = admin_client.get("/api/v1/docs/")
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sources, "the docs page should load scripts"
    assert all(s.startswith("/") for s in sources), sources
    assert admin_client.get("/api/v1/schema/").status_code == 200
