"""Stand-in of CloudAI's DSE job: ``handle_dse_job`` building the agent, and a gym environment whose workload
answers from a table of measured results, writing each step the way CloudAI's vLLM workload leaves it.

Each step: the step counter advances, the action is applied, the step's dir ``<root>/<test id>/0/<step>/`` gets its
``test-run.toml`` (the resolved test definition), the job runs (here: ``vllm-bench.json`` and ``vllm-bench.log``
from the table, or a log without results when the table says the config fails), the observation is one value per
agent metric (``metric_failure`` for a failed one), the reward is the first (CloudAI's ``identity``), and the row
is appended to ``trajectory.csv``.
"""

import copy
import csv
import datetime
import json
from pathlib import Path
from types import SimpleNamespace

from . import registration

BANNER = "============ Serving Benchmark Result ============"


def handle_dse_job(agent_name, agent_config, env):
    agent_class = registration.get_agent(agent_name)
    config = agent_class.get_config_class()(**(agent_config or {}))
    agent = agent_class(env, config)
    return agent.run()


def _toml(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


def _tables(prefix, table, out):
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
    out.append(f"[{prefix}]")
    out.extend(f"{k} = {_toml(v)}" for k, v in scalars.items())
    out.append("")
    for k, v in table.items():
        if isinstance(v, dict):
            _tables(f"{prefix}.{k}", v, out)


class MeasuredGym:
    """``measure(action)`` gives the step's metrics (``throughput``, ``tpot``, ...) or None for a failed job."""

    def __init__(self, root, test_id, scenario, test_name, action_space, cmd_args, agent_steps, agent_metrics,
                 measure, metric_failure=-1.0, constraint=None, kill_at_step=None):
        self.root = Path(root)
        self.action_space = action_space
        self.cmd_args = cmd_args
        self.max_steps = agent_steps
        self.measure = measure
        self.metric_failure = metric_failure
        self.constraint = constraint
        self.kill_at_step = kill_at_step
        self.runs = 0
        test = SimpleNamespace(name=test_name, agent_metrics=list(agent_metrics), agent_steps=agent_steps)
        self.test_run = SimpleNamespace(name=test_id, test=test, step=0, current_iteration=0, output_path=Path(""))
        self.runner = SimpleNamespace(test_scenario=SimpleNamespace(name=scenario))
        self.steps_run = []

    def define_action_space(self):
        return dict(self.action_space)

    @property
    def iteration_dir(self):
        return self.root / self.test_run.name / str(self.test_run.current_iteration)

    def reset(self, seed=None, options=None):
        self.test_run.current_iteration = 0
        return [0.0] * max(len(self.test_run.test.agent_metrics), 1), {}

    def step(self, action):
        self.test_run.step += 1
        step = self.test_run.step
        if self.constraint is not None and not self.constraint(action):
            return [-1.0], -1.0, True, {}
        cmd_args = copy.deepcopy(self.cmd_args)
        for key, value in action.items():
            table = cmd_args
            *parents, leaf = key.split(".")
            for p in parents:
                table = table.setdefault(p, {})
            table[leaf] = value
        out = self.iteration_dir / str(step)
        out.mkdir(parents=True)
        self.test_run.output_path = out
        lines = [f"name = {_toml(self.test_run.name)}", f"output_path = {_toml(str(out))}",
                 "current_iteration = 0", f"step = {step}", "", "[test_definition]",
                 f"name = {_toml(self.test_run.test.name)}", 'test_template_name = "vllm"', 'agent = "autotune"', ""]
        _tables("test_definition.cmd_args", cmd_args, lines)
        (out / "test-run.toml").write_text("\n".join(lines))
        self.steps_run.append(dict(action))
        if self.kill_at_step == step:
            raise KeyboardInterrupt(f"cloudai killed during step {step}")
        result = self.measure(action)
        if result is None:
            (out / "vllm-bench.log").write_text("RuntimeError: CUDA out of memory\n")
            observation = [self.metric_failure] * len(self.test_run.test.agent_metrics)
        else:
            # vLLM's result states when the run started: a config measured again (the study's repeat of its best)
            # is another report, as it is on a real cluster
            started = datetime.datetime(2026, 11, 20, 10, 0) + datetime.timedelta(minutes=step, seconds=self.runs)
            self.runs += 1
            (out / "vllm-bench.json").write_text(json.dumps({
                "date": started.strftime("%Y%m%d-%H%M%S"),
                "num_prompts": 100, "completed": 100, "mean_ttft_ms": result["ttft"], "median_ttft_ms": result["ttft"],
                "p99_ttft_ms": result["ttft"] * 2, "mean_tpot_ms": result["tpot"], "median_tpot_ms": result["tpot"],
                "p99_tpot_ms": result["tpot"] * 1.5, "output_throughput": result["throughput"],
                "max_concurrency": 16}))
            (out / "vllm-bench.log").write_text(f"{BANNER}\nSuccessful requests:                     100\n")
            observation = [float(result[m]) for m in self.test_run.test.agent_metrics]
        reward = observation[0]
        trajectory = self.iteration_dir / "trajectory.csv"
        new = not trajectory.exists()
        with trajectory.open("a", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            if new:
                writer.writerow(["step", "action", "reward", "observation"])
            writer.writerow([step, repr(dict(action)), repr(reward), repr(observation)])
        return observation, reward, False, {}
