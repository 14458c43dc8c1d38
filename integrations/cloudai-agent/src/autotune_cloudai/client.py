"""The autotune HTTP API as the agent uses it (urllib, standard library only).

Every failure is an :class:`AutotuneError` whose message is one line naming the cause: the server cannot be reached,
it refused the token, or it refused a request (its ``{"error", "field"}`` answer).
"""

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path


class AutotuneError(Exception):
    """Something the agent cannot go on from; the message is the one line CloudAI's log gets."""


class Refused(AutotuneError):
    """The server answered with an error: ``status`` and the ``field`` it blames."""

    def __init__(self, message, status, field, body):
        super().__init__(message)
        self.status = status
        self.field = field
        self.body = body


def read_token(token_file):
    """The bearer token in ``token_file`` (as ``autotune serve --token-file`` reads it), or None without a file."""
    if not token_file:
        return None
    path = Path(token_file).expanduser()
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as e:
        raise AutotuneError(f"token_file {path}: cannot read it ({e.strerror or e})") from e
    if not token:
        raise AutotuneError(f"token_file {path} is empty")
    return token


class Client:
    def __init__(self, url, token=None, token_file=None, timeout=120.0):
        self.url = url.rstrip("/")
        self.token = token
        self.token_file = token_file
        self.timeout = timeout

    # ---- the routes ----

    def create_study(self, name, space_toml, strategy=None, seed=None):
        """POST /api/studies with the space file: the study of this space, created or found again."""
        fields = {}
        if strategy:
            fields["strategy"] = strategy
        if seed is not None:
            fields["seed"] = str(seed)
        return self.multipart("/api/studies", fields, {"space": (f"{name}.toml", space_toml.encode("utf-8"))})

    def study(self, study):
        return self.request("GET", f"/api/studies/{study}")

    def ask(self, study):
        return self.request("POST", f"/api/studies/{study}/ask", {"n": 1})

    def record_step(self, study, trial, zip_name, zip_bytes, metadata):
        """POST /api/studies/{id}/steps: the step's zip recorded as the trial's measurement."""
        return self.multipart(f"/api/studies/{study}/steps", {"trial": str(trial), "metadata": metadata},
                              {"step": (zip_name, zip_bytes)})

    def tell_failed(self, study, trial, reason):
        """POST /api/studies/{id}/tell with failed=true: a trial that left no result."""
        return self.request("POST", f"/api/studies/{study}/tell", {"trial": trial, "failed": True, "reason": reason})

    # ---- HTTP ----

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json"} if data is not None else {}
        return self._send(method, path, data, headers)

    def multipart(self, path, fields, files):
        boundary = "autotune-agent-" + uuid.uuid4().hex
        out = []
        for name, value in fields.items():
            for v in value if isinstance(value, list) else [value]:
                out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{v}\r\n'
                           .encode("utf-8"))
        for name, (filename, content) in files.items():
            out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                       f"Content-Type: application/octet-stream\r\n\r\n".encode("utf-8"))
            out.append(content)
            out.append(b"\r\n")
        out.append(f"--{boundary}--\r\n".encode("utf-8"))
        return self._send("POST", path, b"".join(out),
                          {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def _send(self, method, path, data, headers):
        headers = dict(headers, Accept="application/json")
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            raise self._refused(method, path, e) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise AutotuneError(f"autotune server {self.url} is unreachable ({reason}); start it with "
                                f"`autotune serve` or set agent_config.url") from None
        return json.loads(text) if text else {}

    def _refused(self, method, path, e):
        raw = e.read().decode("utf-8", "replace")
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"error": raw.strip().splitlines()[0] if raw.strip() else e.reason}
        error = " ".join(str(body.get("error") or e.reason).split())
        field = body.get("field")
        if e.code == 401:
            source = f"the token from {self.token_file}" if self.token_file else "a request without a token"
            return Refused(f"autotune server {self.url} refused {source} (401: {error}); set agent_config.token_file "
                           f"to the file `autotune serve --token-file` reads", e.code, field, body)
        about = f" [{field}]" if field else ""
        return Refused(f"autotune server {self.url}: {method} {path} refused ({e.code}{about}: {error})",
                       e.code, field, body)
