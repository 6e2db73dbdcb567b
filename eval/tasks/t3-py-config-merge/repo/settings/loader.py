"""Loading settings: the defaults, overridden by the user's JSON."""
import json

from settings.defaults import DEFAULTS
from settings.merge import deep_merge


def load(user_json):
    """Settings from a JSON string of user overrides ("" for none)."""
    user = json.loads(user_json) if user_json.strip() else {}
    return deep_merge(DEFAULTS, user)
