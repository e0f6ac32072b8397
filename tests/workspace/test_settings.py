import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from workspace.settings import env_bool, env_list

# Settings are read in a subprocess from the environment, whatever this run's database and
# layer: checked in the embedded pass only.
pytestmark = pytest.mark.once


ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WORKSPACE_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_env_bool_refuses_unknown_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG")
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example , b.example,,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]


def test_embedded_default_uses_sqlite_and_in_memory_layer():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], s.DEBUG)"
    )
    out = run_manage("shell", "-v", "0", "-c", code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "django.db.backends.sqlite3",
        "live.layers.InMemoryChannelLayer",
        "False",
    ]


def test_urls_switch_to_postgres_and_redis():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'])"
    )
    out = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "django.db.backends.postgresql",
        "live.layers.RedisChannelLayer",
    ]


def test_production_refuses_to_start_without_secret_key():
    out = run_manage("check", WORKSPACE_MODE="production", DJANGO_ALLOWED_HOSTS="ws.example.org")
    assert out.returncode != 0
    assert "DJANGO_SECRET_KEY" in out.stderr


def test_wildcard_allowed_hosts_is_refused():
    out = run_manage("check", DJANGO_ALLOWED_HOSTS="*")
    assert out.returncode != 0 and "not '*'" in out.stderr


def test_check_deploy_is_clean_in_production():
    out = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        WORKSPACE_MODE="production",
        DJANGO_SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        DJANGO_ALLOWED_HOSTS="ws.example.org",
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_test_servers_md5_hasher_is_refused_in_production():
    out = run_manage(
        "check",
        WORKSPACE_MODE="production",
        DJANGO_SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        DJANGO_ALLOWED_HOSTS="ws.example.org",
        WORKSPACE_FAST_HASHER="true",
    )
    assert out.returncode != 0 and "WORKSPACE_FAST_HASHER" in out.stderr


def test_a_malformed_rate_limit_stops_the_start():
    out = run_manage("check", WORKSPACE_RATE_LIMITS="comment=lots")
    assert out.returncode != 0 and "bad rate" in (out.stdout + out.stderr)
