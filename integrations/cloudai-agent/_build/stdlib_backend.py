"""A PEP 517 build backend in the standard library, for this one pure-Python package.

pip builds a package in an isolated environment holding the backend's `requires`; setuptools or flit there would be a
download, which CloudAI's machines (and this project's CI) may not be able to make. This backend needs nothing: it
reads the few [project] fields this package uses from pyproject.toml and zips src/ into a wheel (PEP 427) whose
metadata (core metadata 2.1, entry_points.txt) pip installs like any other.
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def _project():
    """The [project] fields and entry points this package declares (pyproject.toml, a simple subset of TOML)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib  # Python 3.11+

        data = tomllib.loads(text)
    except ImportError:  # Python 3.10: key = "string" lines under [section] headers are all this file holds
        data = {}
        table = data
        for line in text.splitlines():
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            header = re.fullmatch(r"\[(.+)\]", line)
            if header:
                table = data
                for part in re.findall(r'"[^"]*"|[^.]+', header.group(1)):
                    table = table.setdefault(part.strip('"'), {})
                continue
            key, _, value = line.partition("=")
            value = value.strip()
            table[key.strip()] = value[1:-1] if value.startswith('"') else value
    project = data["project"]
    return project, project.get("entry-points", {})


def _names():
    project, _ = _project()
    dist = re.sub(r"[-_.]+", "_", project["name"]).lower()
    return project, f"{dist}-{project['version']}"


def _metadata(project):
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    if "description" in project:
        lines.append(f"Summary: {project['description']}")
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    return "\n".join(lines) + "\n"


def _entry_points(groups):
    out = []
    for group, entries in groups.items():
        out.append(f"[{group}]")
        out.extend(f"{name} = {target}" for name, target in entries.items())
        out.append("")
    return "\n".join(out)


def _dist_info(project, groups):
    return {
        "METADATA": _metadata(project),
        "WHEEL": "Wheel-Version: 1.0\nGenerator: stdlib_backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        "entry_points.txt": _entry_points(groups),
    }


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(wheel_directory, files):
    """files: archive name -> bytes; adds the RECORD and returns the wheel's file name."""
    project, base = _names()
    _, groups = _project()
    info = f"{base}.dist-info"
    for name, text in _dist_info(project, groups).items():
        files[f"{info}/{name}"] = text.encode("utf-8")
    record = [_record_line(name, data) for name, data in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    wheel_name = f"{base}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
    return wheel_name


def _sources():
    return {
        path.relative_to(SRC).as_posix(): path.read_bytes()
        for path in sorted(SRC.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project, base = _names()
    _, groups = _project()
    info = Path(metadata_directory) / f"{base}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    for name, text in _dist_info(project, groups).items():
        (info / name).write_text(text, encoding="utf-8")
    return info.name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, _sources())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """PEP 660: a .pth file pointing at src/, so edits take effect without reinstalling."""
    _, base = _names()
    return _write_wheel(wheel_directory, {f"_{base.split('-')[0]}_editable.pth": f"{SRC}\n".encode("utf-8")})


def build_sdist(sdist_directory, config_settings=None):
    _, base = _names()
    name = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as sdist:
        for path in sorted(ROOT.rglob("*")):
            rel = path.relative_to(ROOT)
            if path.is_file() and "__pycache__" not in rel.parts and rel.parts[0] in ("pyproject.toml", "_build", "src"):
                sdist.add(path, arcname=f"{base}/{rel.as_posix()}")
        info = _metadata(_project()[0]).encode("utf-8")
        entry = tarfile.TarInfo(f"{base}/PKG-INFO")
        entry.size = len(info)
        sdist.addfile(entry, io.BytesIO(info))
    return name
