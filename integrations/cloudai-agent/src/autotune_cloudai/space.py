"""CloudAI's action space as an autotune search space, and autotune's proposals as CloudAI actions.

CloudAI names a DSE dimension after its place in the test: ``serve.max_num_seqs`` for ``cmd_args.serve.max_num_seqs``,
``extra_env_vars.FOO``, ``NUM_NODES`` for ``num_nodes``. An autotune space names a knob by its dotted path in the
test definition, so the space is written with those paths and a proposal's knobs are mapped back to the action
names CloudAI applies.
"""

import json
import math

from .client import AutotuneError


def knob_path(action_key):
    """The test-definition path of a CloudAI action key."""
    if action_key.startswith("extra_env_vars."):
        return action_key
    if action_key == "NUM_NODES":
        return "num_nodes"
    return "cmd_args." + action_key


def toml_value(value, where):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string: JSON's escapes are TOML's
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v, where) for v in value) + "]"
    raise AutotuneError(f"{where}: the value {value!r} ({type(value).__name__}) cannot be searched by autotune")


class Space:
    def __init__(self, action_space):
        if not action_space:
            raise AutotuneError("CloudAI's action space is empty: give the test list-valued cmd_args to sweep")
        self.action_space = {k: list(v) for k, v in action_space.items()}
        self.paths = {knob_path(k): k for k in self.action_space}

    def toml(self, scenario, options, origin):
        lines = [f"# written by the autotune CloudAI agent from the action space of {origin}",
                 f"scenario = {json.dumps(scenario)}", f"objective = {json.dumps(options.objective)}"]
        for key in ("budgets", "soft_slos"):
            values = list(getattr(options, key) or [])
            if values:
                lines.append(f"{key} = [{', '.join(json.dumps(v) for v in values)}]")
        lines += ["", "[knobs]"]
        for path, key in self.paths.items():
            lines.append(f"{json.dumps(path)} = {toml_value(self.action_space[key], f'knob {key}')}")
        return "\n".join(lines) + "\n"

    def action_key(self, name):
        """The CloudAI action key a proposal's knob name stands for; an error when it is not in the action space."""
        if name in self.paths:
            return self.paths[name]
        if name in self.action_space:
            return name
        stripped = name[len("cmd_args."):] if name.startswith("cmd_args.") else name
        if stripped in self.action_space:
            return stripped
        if name == "num_nodes" and "NUM_NODES" in self.action_space:
            return "NUM_NODES"
        # a short canonical name (tensor_parallel_size) that ends exactly one action key
        ending = [k for k in self.action_space if k.endswith("." + stripped)]
        if len(ending) == 1:
            return ending[0]
        raise AutotuneError(f"the study proposed knob '{name}', which is not in CloudAI's action space "
                            f"({', '.join(self.action_space)})")

    def action(self, config):
        """The CloudAI action for a proposal: every action key, each with one of the values CloudAI listed."""
        action = {}
        for name, value in config.items():
            key = self.action_key(name)
            listed = [v for v in self.action_space[key] if _same(v, value)]
            if not listed:
                raise AutotuneError(f"the study proposed {key}={value!r}, which is not one of CloudAI's values "
                                    f"{self.action_space[key]!r}")
            action[key] = listed[0]
        missing = [k for k in self.action_space if k not in action]
        if missing:
            raise AutotuneError(f"the study's proposal {config} sets no value for {', '.join(missing)}")
        return action


def _same(listed, proposed):
    if isinstance(listed, bool) or isinstance(proposed, bool):
        return listed is proposed or (type(listed) is type(proposed) and listed == proposed)
    if isinstance(listed, (int, float)) and isinstance(proposed, (int, float)):
        return float(listed) == float(proposed)
    return listed == proposed
