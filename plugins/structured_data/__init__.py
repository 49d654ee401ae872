from .structured_data import *  # noqa: F403
