"""`python -m guanxi.cli` is the same as the `guanxi` command."""

from guanxi.cli.app import main

main()
