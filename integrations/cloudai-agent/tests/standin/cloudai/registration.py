"""Stand-in of CloudAI's agent lookup: by name in the ``cloudai.agents`` entry-point group, loaded on use."""

from importlib.metadata import entry_points

from .configurator.base_agent import BaseAgent


def agent_names():
    return sorted({ep.name for ep in entry_points(group="cloudai.agents")} | {"grid_search"})


def get_agent(name):
    found = [ep for ep in entry_points(group="cloudai.agents") if ep.name == name]
    if not found:
        raise KeyError(f"No agent available for type: {name}. Available agents: {agent_names()}")
    cls = found[0].load()
    if not (isinstance(cls, type) and issubclass(cls, BaseAgent)):
        raise TypeError(f"Entry point agent '{name}' resolved to {cls}, which is not a subclass of BaseAgent.")
    return cls
