"""A stand-in for CloudAI's agent interface, written from its documentation (not its code) for these tests.

What it reproduces, as CloudAI 1.8 documents and uses it (``doc/USER_GUIDE.rst`` "Agents Configuration",
``configurator/base_agent.py``, ``registration.py``, ``cli/handlers.py`` ``handle_dse_job``):

- agents are found by name in the ``cloudai.agents`` entry-point group and must subclass ``BaseAgent``;
- the agent's config class (``get_config_class``) is built from ``agent_config`` with unknown keys refused;
- ``BaseAgent.run`` loops ``max_steps`` times: ``select_action`` (``None`` stops), ``env.step``, ``update_policy``
  with ``trial_index``, ``value``, ``observation``, ``prev_observation``, ``action``, ``done``;
- the environment writes each step into ``<results>/<test id>/<iteration>/<step>/`` with its ``test-run.toml``
  and appends ``step,action,reward,observation`` rows to ``trajectory.csv`` beside the step dirs.

CloudAI itself cannot be installed where these tests run (its dependencies are not reachable); see the README.
"""
