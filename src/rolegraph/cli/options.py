"""Options shared by several commands."""
from __future__ import annotations

import click


def format_option(*choices: str, default: str = "text"):
    """A ``--format`` option with *choices* (text first by default)."""
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
                        help="Output format.")
