import sys

from hrtui.cli import main

sys.exit(main())
