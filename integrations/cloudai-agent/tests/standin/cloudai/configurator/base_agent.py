"""Stand-in of CloudAI's ``BaseAgent``/``BaseAgentConfig`` (see the package docstring for what it reproduces).

CloudAI's configs are pydantic models with ``extra="forbid"``; pydantic is not a dependency of these tests, so the
config base below validates the same way for the field types agent configs use: annotated fields, defaults,
required fields without one, unknown keys refused, values checked against their annotation.
"""

import copy
import logging
import typing
from abc import ABC, abstractmethod


class ConfigError(ValueError):
    pass


def _check(name, annotation, value):
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Union:
        if value is None and type(None) in args:
            return value
        errors = []
        for a in args:
            if a is type(None):
                continue
            try:
                return _check(name, a, value)
            except ConfigError as e:
                errors.append(str(e))
        raise ConfigError(errors[0])
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(f"{name}: input should be a valid list, got {value!r}")
        return [_check(f"{name}.{i}", args[0], v) for i, v in enumerate(value)] if args else value
    if annotation is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(annotation, type) and issubclass(annotation, _Model):
        return value if isinstance(value, annotation) else annotation(**value)
    if typing.get_origin(annotation) is typing.Literal:
        if value not in args:
            raise ConfigError(f"{name}: input should be one of {args}, got {value!r}")
        return value
    if isinstance(annotation, type) and not isinstance(value, annotation) or isinstance(value, bool) and annotation is int:
        raise ConfigError(f"{name}: input should be a valid {annotation.__name__}, got {value!r}")
    return value


class _Model:
    def __init__(self, **data):
        hints = {}
        for klass in reversed(type(self).__mro__):
            hints.update(typing.get_type_hints(klass) if klass is not object else {})
        unknown = [k for k in data if k not in hints]
        if unknown:
            raise ConfigError(f"{type(self).__name__}: extra inputs are not permitted: {', '.join(unknown)}")
        for name, annotation in hints.items():
            if name in data:
                value = _check(name, annotation, data[name])
            elif hasattr(type(self), name):
                value = copy.deepcopy(getattr(type(self), name))
                if callable(value) and isinstance(value, type):
                    value = value()
            else:
                raise ConfigError(f"{type(self).__name__}: field required: {name}")
            setattr(self, name, value)


class RewardOverrides(_Model):
    constraint_failure: float = -1.0
    metric_failure: float = -1.0


class BaseAgentConfig(_Model):
    random_seed: int = 42
    start_action: typing.Literal["random", "first"] = "random"
    rewards: RewardOverrides = RewardOverrides


class BaseAgent(ABC):
    def __init__(self, env, config):
        self.env = env
        self.config = config
        self.action_space = {}
        self.max_steps = 0

    @staticmethod
    @abstractmethod
    def get_config_class():
        pass

    @abstractmethod
    def configure(self, config):
        pass

    @abstractmethod
    def select_action(self, observation=None):
        pass

    @abstractmethod
    def update_policy(self, _feedback):
        pass

    def run(self) -> int:
        observation, _ = self.env.reset()
        for _ in range(self.max_steps):
            result = self.select_action(observation=observation)
            if result is None:
                break
            step, action = result
            logging.info("Running step %s (of %s) with action %s", step, self.max_steps, action)
            previous = observation
            observation, reward, done, *_ = self.env.step(action)
            self.update_policy({"trial_index": step, "value": reward, "observation": observation,
                                "prev_observation": previous, "action": action, "done": done})
        return 0
