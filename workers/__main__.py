"""Run the workers until SIGTERM or SIGINT: ``python -m workers --help`` lists the options."""

import sys

from workers.runner import main

# The guard matters: each spawned worker process imports this module again as __mp_main__.
if __name__ == "__main__":
    sys.exit(main())
