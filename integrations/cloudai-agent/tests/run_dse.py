"""One DSE job of the stand-in CloudAI, in the venv the agent was pip-installed into (see test_agent.py).

Usage: run_dse.py SPEC.json. The spec names the results root, the agent and its config, the action space and the
measured table the workload answers from (``"<v1>|<v2>"`` of the action's values -> metrics, or null for a failed
job). Prints the return code of ``agent.run()`` and the actions run as JSON on stdout; CloudAI's log on stderr.
"""

import json
import logging
import sys

from cloudai.dse import MeasuredGym, handle_dse_job


def main():
    spec = json.loads(open(sys.argv[1]).read())
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="[%(levelname)s] %(message)s")
    keys = list(spec["action_space"])
    table = spec["table"]
    wrong = spec.get("apply_instead") or {}

    def measure(action):
        return table["|".join(str(action[k]) for k in keys)]

    gym = MeasuredGym(spec["root"], spec.get("test_id", "Tests.1"), spec.get("scenario", "vllm-tune"), "vllm-llama",
                      spec["action_space"], {"model": "meta-llama/Llama-3.1-8B-Instruct", "serve": {"port": 8000}},
                      spec["agent_steps"], spec.get("agent_metrics", ["throughput", "tpot"]), measure,
                      constraint=(lambda a: "|".join(str(a[k]) for k in keys) not in spec["refuse"])
                      if spec.get("refuse") else None, kill_at_step=spec.get("kill_at_step"))
    if wrong:  # a workload that does not apply what it was given: the step's test-run.toml says so
        step = gym.step

        def applying_something_else(action):
            return step({k: wrong.get(k, v) for k, v in action.items()})

        gym.step = applying_something_else
    rc = handle_dse_job(spec.get("agent", "autotune"), spec["agent_config"], gym)
    print(json.dumps({"rc": rc, "steps": gym.steps_run}))


if __name__ == "__main__":
    main()
