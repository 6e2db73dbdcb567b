"""Leaderboard helpers; `scores` maps player name to points."""


def ranking(scores):
    """Player names, highest score first."""
    ordered = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    return [points for name, points in ordered]


def average(scores):
    """Mean score, 0 for no players."""
    return sum(scores.values()) / len(scores) if scores else 0


def above_average(scores):
    """Names of players who scored above the mean, alphabetically."""
    mean = average(scores)
    return sorted(name for name, points in scores.items() if points > mean)
