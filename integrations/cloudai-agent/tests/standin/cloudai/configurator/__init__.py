from .base_agent import BaseAgent, BaseAgentConfig, RewardOverrides

__all__ = ["BaseAgent", "BaseAgentConfig", "RewardOverrides"]
