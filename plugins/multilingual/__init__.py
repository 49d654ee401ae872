from .multilingual import *  # noqa: F403
