from .validation import *  # noqa: F403
