"""``ecsemu serve`` as a user runs it: a real process, its banner, HTTPS, its log, its stop."""

import http.client
import json
import signal
import ssl
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.processes import serve as serve_process
from tests.rawhttp import encode, v1_params


@contextmanager
def serve(tmp_path: Path, *args: str):
    with serve_process(tmp_path, "--data-dir", str(tmp_path / "data"), *args) as server:
        yield server.process, server.port, server.log


def test_serve_answers_and_stops_gracefully(tmp_path):
    with serve(tmp_path) as (process, port, log):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/?" + encode(v1_params("DescribeRegions")))
        assert conn.getresponse().status == 200
        process.send_signal(signal.SIGTERM)
        # uvicorn shuts down cleanly, then re-raises the signal so the parent sees it.
        assert process.wait(timeout=15) in (0, -signal.SIGTERM)
    text = log.read_text()
    assert "Finished server process" in text
    assert f"on http://127.0.0.1:{port}/" in text and "loose auth" in text
    assert (tmp_path / "data").is_dir()


def test_https_on_the_same_port_with_the_kept_ca(tmp_path):
    with serve(tmp_path) as (process, port, log):
        ca_path = tmp_path / "data" / "tls" / "ca.pem"
        context = ssl.create_default_context(cafile=str(ca_path))
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=5, context=context)
        params = v1_params("DescribeRegions", method="POST", Password="Secret123!Secret")
        conn.request("POST", "/", body=encode(params), headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        assert response.status == 200 and json.loads(response.read())["Regions"]
        text = log.read_text()
        assert f"signed by the local CA {ca_path}" in text
        assert f"on http://127.0.0.1:{port}/ and https://127.0.0.1:{port}/" in text
        assert (tmp_path / "data" / "tls" / "ca-key.pem").stat().st_mode & 0o077 == 0
        made = ca_path.read_bytes()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
    with serve(tmp_path) as (_process, port, _log):  # a restart keeps the CA clients trust
        assert ca_path.read_bytes() == made
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=5, context=context)
        conn.request("GET", "/?" + encode(v1_params("DescribeRegions")))
        assert conn.getresponse().status == 200


def test_own_certificate(tmp_path):
    from ecsemu import tls
    own = tls.ensure(tmp_path / "elsewhere")
    with serve(tmp_path, "--tls-cert", str(own.server_cert), "--tls-key", str(own.server_key)) as (_p, port, log):
        context = ssl.create_default_context(cafile=str(own.cert))
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=5, context=context)
        conn.request("GET", "/?" + encode(v1_params("DescribeRegions")))
        assert conn.getresponse().status == 200
        assert "local CA" not in log.read_text()
    assert not (tmp_path / "data" / "tls").exists()


def test_access_log_line_with_secrets_redacted(tmp_path):
    with serve(tmp_path, "--log-level", "debug") as (process, port, log):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        params = v1_params("DescribeUnicorns", Password="Hunter2Hunter2!", SecurityToken="sts-secret")
        conn.request("GET", "/?" + encode(params))
        response = conn.getresponse()
        request_id = json.loads(response.read())["RequestId"]
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    text = log.read_text()
    line = next(json.loads(entry.split("ecsemu.access ", 1)[1]) for entry in text.splitlines()
                if "ecsemu.access" in entry)
    assert line["RequestId"] == request_id and line["Action"] == "DescribeUnicorns"
    assert line["Status"] == 404 and line["Code"] == "InvalidAction.NotFound"
    assert line["Account"] == "1234567890123456" or line["Account"] is None
    assert line["LatencyMs"] >= 0
    assert line["Params"]["Password"] == "***" and line["Params"]["Signature"] == "***"
    for secret in ("Hunter2Hunter2!", "sts-secret", params["Signature"]):
        assert secret not in text


def test_declared_keys_and_strict_auth(tmp_path, monkeypatch):
    monkeypatch.setenv("ECSEMU_ACCESS_KEYS", "envkey:envsecret:5555666677778888")
    with serve(tmp_path, "--strict-auth", "--access-key", "clikey:clisecret:1111222233334444") as (_p, port, _log):
        for key, secret, status in [("envkey", "envsecret", 200), ("clikey", "clisecret", 200),
                                    ("nobody", "x", 404)]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/?" + encode(v1_params("DescribeRegions", key_id=key, secret=secret)))
            assert conn.getresponse().status == status


def test_bad_access_key_option_is_a_usage_error():
    done = subprocess.run([sys.executable, "-m", "ecsemu", "serve", "--access-key", "only-two:parts"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "ID:SECRET:ACCOUNT_ID" in done.stderr


@pytest.mark.parametrize("args", [["--tls-cert", "x.pem"]])
def test_tls_cert_needs_a_key(args):
    done = subprocess.run([sys.executable, "-m", "ecsemu", "serve", *args], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "--tls-key" in done.stderr


def test_control_subcommands(tmp_path):
    with serve(tmp_path, "--transitions", "manual") as (_process, port, _log):
        url = f"http://127.0.0.1:{port}"

        def control(*args):
            return subprocess.run([sys.executable, "-m", "ecsemu", "control", *args, "--url", url],
                                  capture_output=True, text=True, timeout=30)

        health = control("health")
        assert health.returncode == 0 and json.loads(health.stdout)["Transitions"] == "manual"
        before = json.loads(health.stdout)["Now"]
        advanced = control("advance", "3600")
        assert advanced.returncode == 0 and json.loads(advanced.stdout)["Now"] > before
        assert control("reset").returncode == 0
        missing = control("lock", "i-bpnothing0000000000", "security")
        assert missing.returncode == 1 and "InvalidInstanceId.NotFound" in missing.stderr
        assert control("snapshot", "s-bpnothing0000000000", "--hold").returncode == 1
    unreachable = subprocess.run([sys.executable, "-m", "ecsemu", "control", "health", "--url", "http://127.0.0.1:9"],
                                 capture_output=True, text=True, timeout=30)
    assert unreachable.returncode == 1 and "cannot reach" in unreachable.stderr
