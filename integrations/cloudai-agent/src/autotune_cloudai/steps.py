"""One finished DSE step as autotune records it: its results dir and its trajectory row, zipped.

CloudAI writes a step into ``<results>/<test id>/<iteration>/<step>/`` and appends its row to
``<results>/<test id>/<iteration>/trajectory.csv``. The zip keeps that layout (``<test id>/<iteration>/...``) so the
server reads the step exactly as ``autotune ingest trajectory.csv`` reads a sweep step: test id, iteration and step
from the dirs, knobs from test-run.toml and the action, reports and verdict from the files.
"""

import csv
import io
import zipfile
from pathlib import Path

HEADER = ["step", "action", "reward", "observation"]


def step_dir(test_run):
    """The step's results dir when CloudAI ran the step and left it; None when it left nothing to record."""
    path = getattr(test_run, "output_path", None)
    step = getattr(test_run, "step", None)
    if path is None or step is None:
        return None
    path = Path(path)
    # after a constraint failure or a job that never started, output_path is not this step's dir
    if path.name != str(step) or not path.is_dir() or not (path / "test-run.toml").is_file():
        return None
    return path


def trajectory_row(iteration_dir, step, action, reward, observation):
    """This step's row as CloudAI wrote it, else as CloudAI writes one (Python reprs of the action and observation)."""
    csv_path = iteration_dir / "trajectory.csv"
    if csv_path.is_file():
        with csv_path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        if rows and rows[0] == HEADER:
            for row in rows[1:]:
                if row and row[0] == str(step):
                    return row
    return [str(step), repr(dict(action)), repr(float(reward)), repr([float(v) for v in observation])]


def zip_step(path, action, reward, observation):
    """The zip of one step: ``<test id>/<iteration>/trajectory.csv`` with its row, and the step's dir beside it."""
    iteration_dir = path.parent
    prefix = f"{iteration_dir.parent.name}/{iteration_dir.name}"
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerow(trajectory_row(iteration_dir, path.name, action, reward, observation))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{prefix}/trajectory.csv", text.getvalue())
        for file in sorted(path.rglob("*")):
            if file.is_file():
                z.write(file, f"{prefix}/{path.name}/{file.relative_to(path).as_posix()}")
    return f"{iteration_dir.parent.name}-{iteration_dir.name}-{path.name}.zip", out.getvalue()
