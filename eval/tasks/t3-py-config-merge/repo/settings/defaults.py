DEFAULTS = {
    "theme": "light",
    "editor": {"tab_size": 4, "wrap": False},
    "telemetry": False,
}
