"""autotune's search inside CloudAI's DSE loop: the CloudAI agent named ``autotune``.

``pip install integrations/cloudai-agent`` registers :class:`AutotuneAgent` in the ``cloudai.agents`` entry-point
group; a CloudAI test with ``agent = "autotune"`` then asks an autotune server (``autotune serve``) for each step's
action and records every step there. Standard library only.
"""

__all__ = ["AutotuneAgent", "AutotuneAgentConfig"]


def __getattr__(name):
    # lazily, so importing the package (e.g. for its client) does not need CloudAI
    if name in __all__:
        from . import agent

        return getattr(agent, name)
    raise AttributeError(name)
