"""The pytest plugin's ``ecsemu_server`` boots its instances when asked (``--ecsemu-instances
qemu`` or the ``ecsemu_instances`` ini value), and is state only otherwise."""

from __future__ import annotations

import subprocess
import sys

import pytest

USER_TEST = '''
def test_driver(ecsemu_server):
    assert ecsemu_server.emulator.instances.name == "{expected}"
'''


@pytest.mark.parametrize("options, ini, expected", [
    ([], "", "none"),
    (["--ecsemu-instances", "qemu"], "", "qemu"),
    ([], "[pytest]\necsemu_instances = qemu\n", "qemu"),
])
def test_a_users_suite_chooses_the_instance_driver(tmp_path, options, ini, expected):
    (tmp_path / "test_user.py").write_text(USER_TEST.format(expected=expected))
    (tmp_path / "pytest.ini").write_text(ini or "[pytest]\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, "test_user.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
