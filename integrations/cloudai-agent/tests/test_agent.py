"""The ``autotune`` CloudAI agent, pip-installed into a venv made here, driven by the stand-in of CloudAI's agent
interface (``standin/cloudai``: entry-point lookup, config class, ``BaseAgent.run``'s loop, the DSE step layout)
against a real ``autotune serve`` (the shaded jar: ``$AUTOTUNE_JAR``, else ``autotune-api/target/autotune.jar``).

Run: ``python3 -m unittest discover -s integrations/cloudai-agent/tests -v`` (Maven's CloudaiAgentIT runs it).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
REPO = PACKAGE.parent.parent
JAR = Path(os.environ.get("AUTOTUNE_JAR") or REPO / "autotune-api" / "target" / "autotune.jar")
STANDIN = HERE / "standin"

sys.path.insert(0, str(STANDIN))
sys.path.insert(0, str(PACKAGE / "src"))

TP = "serve.tensor_parallel_size"
SEQS = "serve.max_num_seqs"
ACTION_SPACE = {TP: [1, 2, 4], SEQS: [16, 64, 256]}


def measured(tp, seqs):
    """A 3x3 vLLM sweep: throughput grows with both knobs; tp=1 at 256 sequences breaks the 30 ms TPOT budget."""
    throughput = {1: {16: 300, 64: 700, 256: 900}, 2: {16: 500, 64: 1100, 256: 1500},
                  4: {16: 600, 64: 1400, 256: 1900}}[tp][seqs]
    tpot = {16: 8.0, 64: 14.0, 256: 22.0}[seqs] * (1.9 if tp == 1 else 1.0)
    return {"throughput": float(throughput), "tpot": tpot, "ttft": 40.0 + seqs / tp}


TABLE = {f"{tp}|{seqs}": measured(tp, seqs) for tp in ACTION_SPACE[TP] for seqs in ACTION_SPACE[SEQS]}
BEST = {"cmd_args." + TP: 4, "cmd_args." + SEQS: 256}  # the last config of the grid's order
OPTIONS = {"objective": "maximize throughput_tokens_per_sec", "budgets": ["tpot_ms <= 30"], "strategy": "model",
           "seed": 3}


class Venv:
    """A venv made by the test with the agent pip-installed from the source tree, offline."""

    def __init__(self, root):
        self.root = root / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(self.root)], check=True, capture_output=True)
        self.python = str(self.root / "bin" / "python")
        work = root / "pkg"  # a copy: pip builds in place, the source tree stays clean
        shutil.copytree(PACKAGE, work, ignore=shutil.ignore_patterns("__pycache__", "tests", "*.egg-info", "build"))
        r = subprocess.run([self.python, "-m", "pip", "install", "--no-index", "--disable-pip-version-check", "-q",
                            str(work)], capture_output=True, text=True)
        if r.returncode != 0:
            raise AssertionError("pip install failed:\n" + r.stdout + r.stderr)

    def run(self, code_or_script, *args):
        env = dict(os.environ, PYTHONPATH=str(STANDIN))  # the stand-in cloudai; the agent comes from the venv
        cmd = [self.python] + (["-c", code_or_script] if not code_or_script.endswith(".py") else [code_or_script])
        return subprocess.run(cmd + list(args), capture_output=True, text=True, env=env, timeout=600)


class Server:
    def __init__(self, root, token=None):
        self.root = root
        args = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Daxoniq.update-checker.disabled=true",
                "-jar", str(JAR), "serve", "--db", str(root / "autotune.db"), "--port", "0"]
        if token:
            (root / "token").write_text(token)
            args += ["--token-file", str(root / "token")]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        cwd=str(root))
        for line in self.process.stdout:
            found = re.search(r" at (http://[^/\s]+)/", line)
            if found:
                self.url = found.group(1)
                return
        raise AssertionError("autotune serve did not start")

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=30) as r:
            return json.loads(r.read().decode())

    def post(self, path, body):
        request = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, json.loads(r.read().decode())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read().decode())

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process.stdout.close()


@unittest.skipUnless(JAR.is_file(), f"no autotune jar at {JAR}: build it with `mvn -B package` or set AUTOTUNE_JAR")
class AgentAgainstServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="autotune-agent-"))
        cls.venv = Venv(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(dir=self.tmp))
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.close()

    def serve(self, token=None):
        self.server = Server(self.dir, token)
        return self.server

    def dse(self, name, url, agent_steps=9, **extra):
        """One `cloudai run` of the DSE test: a fresh results dir, the agent found by its entry point."""
        spec = dict({"root": str(self.dir / f"results-{name}"), "action_space": ACTION_SPACE, "table": TABLE,
                     "agent_steps": agent_steps, "agent_config": dict(OPTIONS, url=url)}, **extra)
        path = self.dir / f"{name}.json"
        path.write_text(json.dumps(spec))
        r = self.venv.run(str(HERE / "run_dse.py"), str(path))
        out = json.loads(r.stdout) if r.returncode == 0 else None
        return out, r.stderr, r.returncode

    def test_the_entry_point_resolves_to_the_agent_and_its_config_refuses_unknown_keys(self):
        r = self.venv.run(
            "from cloudai.registration import get_agent\n"
            "import autotune_cloudai\n"
            "cls = get_agent('autotune')\n"
            "print(cls.__module__ + '.' + cls.__name__)\n"
            "print(autotune_cloudai.__file__)\n"
            "c = cls.get_config_class()(objective='maximize throughput_tokens_per_sec', budgets=['tpot_ms <= 10'])\n"
            "print(c.url, c.random_seed, c.budgets)\n"
            "try:\n"
            "    cls.get_config_class()(objective='x', urll='http://h')\n"
            "except ValueError as e:\n"
            "    print('refused:', e)\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "autotune_cloudai.agent.AutotuneAgent")
        self.assertIn(str(self.venv.root), lines[1], "imported from the venv pip installed it into")
        self.assertEqual(lines[2], "http://127.0.0.1:8080 42 ['tpot_ms <= 10']")
        self.assertIn("urll", lines[3])

    def test_a_3x3_sweep_finds_the_best_in_fewer_steps_than_the_grid_and_records_every_step_once(self):
        server = self.serve()
        out, log, rc = self.dse("first", server.url)
        self.assertEqual(rc, 0, log)
        self.assertEqual(out["rc"], 0, log)
        study = server.get("/api/studies/1")
        trials = study["trials"]
        self.assertEqual(len(trials), len(out["steps"]), "one trial per step CloudAI ran")
        self.assertEqual(study["best"]["config"], BEST, log)
        self.assertLess(study["best"]["trial"], 9, "the grid reaches (4, 256) at its 9th step")
        experiments = [t["experiment"] for t in trials]
        self.assertEqual(len(set(experiments)), len(trials), "every step recorded once, each on its own experiment")
        self.assertEqual(server.get("/api/experiments")["total"], len(trials))
        configs = [json.dumps(t["config"], sort_keys=True) for t in trials]
        self.assertEqual(len(set(configs)), len(configs), "no config run twice")
        for t in trials:
            shown = server.get(f"/api/experiments/{t['experiment']}")
            self.assertEqual(shown["scenario"], "vllm-tune")
            self.assertEqual(shown["status"], "completed")
            m = measured(t["config"]["cmd_args." + TP], t["config"]["cmd_args." + SEQS])
            self.assertEqual(shown["metrics"]["throughput_tokens_per_sec"], m["throughput"])
            meta = shown["metadata"]
            self.assertEqual(float(meta["cloudai.reward"]), m["throughput"])
            self.assertEqual(float(meta["cloudai.observation.tpot"]), m["tpot"])
            self.assertEqual(meta["cloudai.test_id"], "Tests.1")
        self.assertIn("autotune: study 1 (cloudai-vllm-tune-Tests.1, scenario vllm-tune, strategy model) created", log)
        if len(trials) < 9:
            self.assertRegex(log, r"autotune: study 1 stops: \S+", "the strategy's stop, with its reason")

    def test_a_killed_run_started_again_continues_the_study_without_repeating_a_measured_config(self):
        server = self.serve()
        _, log, rc = self.dse("killed", server.url, agent_steps=6, kill_at_step=3)
        self.assertNotEqual(rc, 0)
        self.assertIn("KeyboardInterrupt", log)
        before = server.get("/api/studies/1")["trials"]
        self.assertEqual([t["status"] for t in before], ["completed", "completed", "proposed"], log)

        out, log, rc = self.dse("again", server.url, agent_steps=6)
        self.assertEqual(rc, 0, log)
        self.assertIn("found again", log)
        self.assertIn(f"trial 3 of study 1 was proposed before a restart and never measured; running it now", log)
        trials = server.get("/api/studies/1")["trials"]
        self.assertEqual(len(trials), 6, log)
        self.assertEqual([t["status"] for t in trials], ["completed"] * 6)
        self.assertEqual(out["steps"][0], {k.removeprefix("cmd_args."): v for k, v in before[2]["config"].items()})
        configs = [json.dumps(t["config"], sort_keys=True) for t in trials]
        self.assertEqual(len(set(configs)), 6, "no measured config run again")
        self.assertEqual(server.get("/api/experiments")["total"], 6)
        self.assertIn("agent_steps=6 reached: 6 trials of study 1 measured", log)

        # agent_steps is the study's budget across restarts: a third run measures nothing more
        out, log, rc = self.dse("third", server.url, agent_steps=6)
        self.assertEqual((rc, out["steps"]), (0, []), log)
        self.assertEqual(server.get("/api/experiments")["total"], 6)

    def test_an_unreachable_server_a_refused_token_and_a_value_cloudai_did_not_apply_are_one_line_each(self):
        closed = "http://127.0.0.1:9"  # discard: nothing listens there
        out, log, rc = self.dse("unreachable", closed)
        self.assertEqual((rc, out["rc"], out["steps"]), (0, 1, []), log)
        errors = [line for line in log.splitlines() if line.startswith("[ERROR]")]
        self.assertEqual(len(errors), 1, log)
        self.assertIn(f"autotune server {closed} is unreachable", errors[0])

        server = self.serve(token="s3cret")
        (self.dir / "wrong-token").write_text("guess\n")
        out, log, rc = self.dse("token", server.url, agent_config=dict(OPTIONS, url=server.url,
                                                                        token_file=str(self.dir / "wrong-token")))
        self.assertEqual((rc, out["rc"], out["steps"]), (0, 1, []), log)
        errors = [line for line in log.splitlines() if line.startswith("[ERROR]")]
        self.assertEqual(len(errors), 1, log)
        self.assertIn(f"refused the token from {self.dir / 'wrong-token'} (401", errors[0])
        self.assertEqual(server.get("/api/studies")["studies"], [], "nothing recorded")

        # the workload ran another value than the study proposed: refused naming the knob, nothing recorded
        (self.dir / "token-ok").write_text("s3cret")
        out, log, rc = self.dse("other-value", server.url, agent_config=dict(
            OPTIONS, url=server.url, token_file=str(self.dir / "token-ok")), apply_instead={TP: 2, SEQS: 16})
        self.assertEqual(out["rc"], 1, log)
        errors = [line for line in log.splitlines() if line.startswith("[ERROR]")]
        self.assertEqual(len(errors), 1, log)
        self.assertRegex(errors[0], r'knobs\."cmd_args\.serve\.\w+": step Tests\.1/0/1 ran \d+ but trial 1 proposed')
        self.assertEqual(server.get("/api/experiments")["total"], 0, "nothing half-recorded")
        self.assertEqual(server.get("/api/studies/1")["trials"][0]["status"], "proposed")

    def test_a_step_cloudai_did_not_run_is_told_as_failed(self):
        server = self.serve()
        status, body = server.post("/api/studies", {"space_path": str(self.write_space())})
        self.assertEqual(status, 201, body)
        # a failed trial is told by its number: one the study has not proposed is refused, naming the field
        status, body = server.post("/api/studies/1/tell", {"trial": 1, "failed": True, "reason": "probe"})
        self.assertEqual((status, body.get("field")), (400, "trial"), body)
        refused = [k for k, v in TABLE.items() if v["tpot"] > 30]  # CloudAI's constraint check refuses (1, 256)
        out, log, rc = self.dse("constraint", server.url, refuse=refused, scenario="constrained")
        self.assertEqual(out["rc"], 0, log)
        trials = server.get("/api/studies/2")["trials"]
        failed = [t for t in trials if t["status"] == "failed"]
        self.assertTrue(failed, trials)
        for t in failed:
            self.assertEqual(t["config"], {"cmd_args." + TP: 1, "cmd_args." + SEQS: 256})
            # told as failed: a failed experiment of the trial's config, which the failure model learns from
            shown = server.get(f"/api/experiments/{t['experiment']}")
            self.assertEqual(shown["status"], "failed", shown)
        self.assertEqual(server.get("/api/experiments")["total"], len(trials))

    def test_the_study_stopping_stops_cloudais_loop_with_the_reason_in_its_log(self):
        server = self.serve()
        table = {str(seqs): measured(2, seqs) for seqs in ACTION_SPACE[SEQS]}
        table["256"] = None  # the job dies (out of memory) and leaves a log without results
        out, log, rc = self.dse("stop", server.url, agent_steps=20, action_space={SEQS: ACTION_SPACE[SEQS]},
                                table=table, agent_config=dict(OPTIONS, url=server.url, strategy="grid"))
        self.assertEqual((rc, out["rc"], len(out["steps"])), (0, 0, 3), log)
        self.assertRegex(log, r"\[INFO\] autotune: study 1 stops: space_exhausted: .+")
        self.assertEqual(server.get("/api/experiments")["total"], 3)
        # a job that failed is recorded as `autotune run` records it: failed, with its category, and told
        trials = {t["config"]["cmd_args." + SEQS]: t for t in server.get("/api/studies/1")["trials"]}
        self.assertEqual(trials[256]["status"], "failed", log)
        shown = server.get(f"/api/experiments/{trials[256]['experiment']}")
        self.assertEqual((shown["status"], shown["failure"]["category"]), ("failed", "job_failed"), shown)
        self.assertEqual(float(shown["metadata"]["cloudai.reward"]), -1.0, "CloudAI's metric_failure reward")

    def write_space(self):
        path = self.dir / "probe.toml"
        path.write_text('scenario = "probe"\nobjective = "maximize throughput_tokens_per_sec"\n'
                        '[knobs]\n"cmd_args.serve.max_num_seqs" = [16, 64]\n')
        return path


class SpaceMapping(unittest.TestCase):
    """The action space as a search space, and proposals back as actions (no server needed)."""

    def test_the_space_names_knobs_by_their_test_path_and_proposals_map_back_to_cloudais_values(self):
        from autotune_cloudai.client import AutotuneError
        from autotune_cloudai.space import Space

        space = Space({"decode.max_num_batched_tokens": [1024, 2048], "extra_env_vars.NCCL_ALGO": ["ring", "tree"],
                       "NUM_NODES": [1, 2], "serve.enforce_eager": [True, False], "serve.gpu_memory_utilization": [0.8, 0.9]})
        options = type("O", (), {"objective": "maximize throughput_tokens_per_sec", "budgets": ["tpot_ms <= 10"],
                                 "soft_slos": []})()
        toml = space.toml("vllm-tune", options, "Tests.1")
        self.assertIn('"cmd_args.decode.max_num_batched_tokens" = [1024, 2048]', toml)
        self.assertIn('"extra_env_vars.NCCL_ALGO" = ["ring", "tree"]', toml)
        self.assertIn('"num_nodes" = [1, 2]', toml)
        self.assertIn('"cmd_args.serve.enforce_eager" = [true, false]', toml)
        self.assertIn('budgets = ["tpot_ms <= 10"]', toml)
        action = space.action({"cmd_args.decode.max_num_batched_tokens": 2048.0, "extra_env_vars.NCCL_ALGO": "tree",
                               "num_nodes": 2, "cmd_args.serve.enforce_eager": False,
                               "gpu_memory_utilization": 0.9})
        self.assertEqual(action, {"decode.max_num_batched_tokens": 2048, "extra_env_vars.NCCL_ALGO": "tree",
                                  "NUM_NODES": 2, "serve.enforce_eager": False, "serve.gpu_memory_utilization": 0.9})
        self.assertIsInstance(action["decode.max_num_batched_tokens"], int, "CloudAI's own value, not the JSON one")
        with self.assertRaisesRegex(AutotuneError, "knob 'cmd_args.serve.tensor_parallel_size', which is not in"):
            space.action({"cmd_args.serve.tensor_parallel_size": 2})
        with self.assertRaisesRegex(AutotuneError, r"NUM_NODES=4, which is not one of CloudAI's values \[1, 2\]"):
            space.action({"num_nodes": 4})


if __name__ == "__main__":
    unittest.main()
