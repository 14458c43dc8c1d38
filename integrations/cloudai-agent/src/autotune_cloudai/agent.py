"""The CloudAI agent ``autotune``: an autotune study chooses each DSE step's action and records every step.

CloudAI builds the agent with its gym environment and the config below (``[Tests.agent_config]``), then runs
``BaseAgent.run``'s loop: ``select_action`` (here: ask the study; ``None`` when it stops), ``env.step`` (CloudAI
runs the job), ``update_policy`` (here: record the step from its results dir and link it to the trial). Errors
reaching the server end the run with one line in CloudAI's log and a non-zero return, the recoverable-failure code
of CloudAI's agent contract; nothing of a step is recorded unless all of it is.
"""

import logging
import re
from typing import Any, Optional

from cloudai.configurator.base_agent import BaseAgent, BaseAgentConfig

from .client import AutotuneError, Client, Refused, read_token
from .space import Space
from .steps import step_dir, zip_step

class AutotuneAgentConfig(BaseAgentConfig):
    """``[Tests.agent_config]`` for ``agent = "autotune"``; like every CloudAI agent config, unknown keys are errors."""

    url: str = "http://127.0.0.1:8080"
    token_file: Optional[str] = None
    objective: str
    budgets: list[str] = []
    soft_slos: list[str] = []
    strategy: Optional[str] = None
    seed: Optional[int] = None
    study: Optional[str] = None
    scenario: Optional[str] = None
    timeout_sec: float = 120.0


class AutotuneAgent(BaseAgent):
    """autotune's search (a study on an ``autotune serve``) picks each step; every step is recorded there."""

    def __init__(self, env, config):
        super().__init__(env, config)
        self.action_space = env.define_action_space()
        # agent_steps: the study's budget of steps, counted over restarts
        self.max_steps = int(getattr(env, "max_steps", 0) or 0)
        self.configure(dict(self.action_space))

    @staticmethod
    def get_config_class():
        return AutotuneAgentConfig

    def configure(self, config: dict[str, Any]) -> None:
        self.space = Space(config)
        self.client = None
        self.study = None
        self.measured = 0
        self.pending = []
        self.current = None
        self.stop_reason = None

    # ---- CloudAI's loop ----

    def run(self) -> int:
        try:
            return super().run()
        except AutotuneError as e:
            logging.error("autotune agent: %s", e)
            return 1

    def select_action(self, observation: Optional[list[float]] = None):
        del observation  # the study reads every measurement from the server
        if self.study is None:
            self._open_study()
        if self.max_steps and self.measured >= self.max_steps:
            return self._stop(f"agent_steps={self.max_steps} reached: {self.measured} trials of study {self.study} "
                              f"measured")
        if self.pending:
            proposal = self.pending.pop(0)
            logging.info("autotune: trial %s of study %s was proposed before a restart and never measured; running "
                         "it now", proposal["trial"], self.study)
        else:
            try:
                asked = self.client.ask(self.study)
            except Refused as e:
                if e.status == 409:  # the study has finished
                    return self._stop(str(e.body.get("error") or e))
                raise
            proposals = asked.get("proposals") or []
            if not proposals:
                stopped = asked.get("stopped") or {}
                return self._stop(f"{stopped.get('stop_reason', 'no proposal').lower()}: "
                                  f"{stopped.get('reason') or 'the study proposes nothing more'}")
            proposal = proposals[0]
            logging.info("autotune: trial %s of study %s: %s", proposal["trial"], self.study,
                         proposal.get("reason") or proposal.get("strategy"))
        action = self.space.action(proposal["config"])
        self.current = {"trial": proposal["trial"], "action": action}
        return proposal["trial"], action

    def update_policy(self, feedback: dict[str, Any]) -> None:
        current, self.current = self.current, None
        if current is None:
            raise AutotuneError("update_policy without an action from select_action")
        trial = current["trial"]
        test_run = getattr(self.env, "test_run", None)
        observation = list(feedback.get("observation") or [])
        reward = feedback.get("value")
        path = None if feedback.get("done") else step_dir(test_run)
        if path is None:
            reason = ("CloudAI left no results for this step (constraint check failed, or the job did not start): "
                      f"action {current['action']}")
            self.measured += 1
            try:
                self.client.tell_failed(self.study, trial, reason)
            except Refused as e:
                if e.status != 400 or e.field not in ("trial", "failed", "reason"):
                    raise
                # a server without `tell --failed`: the trial stays proposed, and a restart runs it again
                logging.warning("autotune: trial %s of study %s left no results and this server cannot record a "
                                "failed trial (%s)", trial, self.study, e)
                return
            logging.info("autotune: trial %s of study %s told as failed: %s", trial, self.study, reason)
            return
        name, data = zip_step(path, current["action"], reward, observation)
        recorded = self.client.record_step(self.study, trial, name, data, self._metadata(reward, observation))
        self.measured += 1
        metrics = recorded.get("metrics") or {}
        status = recorded.get("status") or "recorded"
        if recorded.get("failure_category"):
            status += ":" + recorded["failure_category"]
        logging.info("autotune: trial %s of study %s -> experiment %s %s%s", trial, self.study,
                     recorded.get("experiment"), status,
                     "".join(f" {k}={v:g}" for k, v in list(metrics.items())[:4]))

    # ---- the study ----

    def _open_study(self):
        options = self.config
        self.client = Client(options.url, token=read_token(options.token_file), token_file=options.token_file,
                             timeout=options.timeout_sec)
        test_run = getattr(self.env, "test_run", None)
        test_id = str(getattr(test_run, "name", None) or "dse")
        scenario = options.scenario or self._scenario_name() or test_id
        name = options.study or re.sub(r"[^A-Za-z0-9._-]", "_", f"cloudai-{scenario}-{test_id}")
        seed = options.seed if options.seed is not None else options.random_seed
        created = self.client.create_study(name, self.space.toml(scenario, options, test_id), options.strategy, seed)
        study = created["study"]
        self.study = study["number"]
        shown = self.client.study(self.study)
        trials = shown.get("trials") or []
        self.measured = sum(1 for t in trials if t.get("status") != "proposed")
        self.pending = [t for t in trials if t.get("status") == "proposed"]
        logging.info("autotune: study %s (%s, scenario %s, strategy %s) %s at %s: %d trials measured, %d waiting",
                     self.study, study.get("name"), study.get("scenario"), study.get("strategy"),
                     "created" if created.get("created") else "found again", options.url, self.measured,
                     len(self.pending))

    def _scenario_name(self):
        runner = getattr(self.env, "runner", None)
        scenario = getattr(runner, "test_scenario", None)
        return getattr(scenario, "name", None)

    def _metadata(self, reward, observation):
        test = getattr(getattr(self.env, "test_run", None), "test", None)
        metrics = list(getattr(test, "agent_metrics", None) or [])
        pairs = [f"cloudai.reward={_number(reward)}"]
        for i, value in enumerate(observation):
            name = metrics[i] if i < len(metrics) else str(i)
            pairs.append(f"cloudai.observation.{name}={_number(value)}")
        return pairs

    def _stop(self, reason):
        self.stop_reason = reason
        logging.info("autotune: study %s stops: %s", self.study, reason)
        return None


def _number(value):
    """A reward or observation as text: a float's repr (numpy scalars included, which repr as np.float64(...))."""
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return str(value)
