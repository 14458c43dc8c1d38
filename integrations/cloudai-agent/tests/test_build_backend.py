"""The package's own build backend: the wheel pip installs, and the pyproject reading Python 3.10 falls back to."""

import builtins
import importlib
import sys
import tempfile
import unittest
import zipfile
from pathlib import Path

BUILD = Path(__file__).resolve().parent.parent / "_build"


def backend(without_tomllib=False):
    sys.path.insert(0, str(BUILD))
    try:
        if not without_tomllib:
            return importlib.reload(importlib.import_module("stdlib_backend"))
        real = builtins.__import__

        def no_tomllib(name, *args, **kwargs):
            if name == "tomllib":
                raise ImportError("no tomllib before Python 3.11")
            return real(name, *args, **kwargs)

        builtins.__import__ = no_tomllib
        try:
            module = importlib.reload(importlib.import_module("stdlib_backend"))
            return module, module._project()
        finally:
            builtins.__import__ = real
    finally:
        sys.path.remove(str(BUILD))


class BuildBackend(unittest.TestCase):
    def test_the_wheel_holds_the_package_and_registers_the_agent_entry_point(self):
        b = backend()
        with tempfile.TemporaryDirectory() as out:
            name = b.build_wheel(out)
            self.assertEqual(name, "autotune_cloudai_agent-0.1.0-py3-none-any.whl")
            with zipfile.ZipFile(Path(out) / name) as wheel:
                names = wheel.namelist()
                self.assertIn("autotune_cloudai/agent.py", names)
                self.assertFalse([n for n in names if n.startswith("cloudai/")], "the stand-in is not shipped")
                info = "autotune_cloudai_agent-0.1.0.dist-info/"
                self.assertIn("[cloudai.agents]\nautotune = autotune_cloudai.agent:AutotuneAgent",
                              wheel.read(info + "entry_points.txt").decode())
                self.assertIn("Requires-Python: >=3.10", wheel.read(info + "METADATA").decode())
                record = wheel.read(info + "RECORD").decode()
                self.assertEqual(len(record.splitlines()), len(names), "every file in RECORD")

    def test_without_tomllib_the_pyproject_reads_the_same(self):
        if sys.version_info < (3, 11):
            self.skipTest("tomllib, the reference, needs Python 3.11")
        expected = backend()._project()
        _, fallback = backend(without_tomllib=True)
        self.assertEqual(fallback, expected)


if __name__ == "__main__":
    unittest.main()
