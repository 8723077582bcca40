"""Print the Odoo modules the suite depends on, comma-separated.

./mkt installs them once into a template database so that each test run only
installs the suite itself.
"""

import ast
import sys
from pathlib import Path


def core_dependencies(addons_dir):
    ours, depends = set(), set()
    for manifest in Path(addons_dir).glob("*/__manifest__.py"):
        ours.add(manifest.parent.name)
        depends.update(ast.literal_eval(manifest.read_text())["depends"])
    return sorted(depends - ours)


if __name__ == "__main__":
    print(",".join(core_dependencies(sys.argv[1])))
