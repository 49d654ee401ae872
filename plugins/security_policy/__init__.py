from .security_policy import *  # noqa: F403
