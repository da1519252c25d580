"""``python -m rolegraph`` runs the CLI."""
from .cli import main

main()
