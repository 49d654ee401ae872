from .health_article import *  # noqa: F403
