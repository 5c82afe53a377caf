"""Executes a notebook on a Jupyter kernel with nbclient, the kernel started in a chosen folder.

    python execute_notebook.py INPUT OUTPUT --cwd DIR [--kernel tslab] [--timeout 300]

nbconvert --execute starts the kernel in the input's own folder; this runs a copy kept anywhere
(a temporary folder) with the kernel in DIR (notebooks/, where the package resolves as it does
for users). OUTPUT is written whether or not a cell failed; the exit status is 1 when one did,
with nbclient's description of the failing cell on stderr.
"""

import argparse
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--cwd", required=True)
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()

    nb = nbformat.read(args.input, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=120,
        resources={"metadata": {"path": args.cwd}},
    )
    status = 0
    try:
        client.execute()
    except CellExecutionError as error:
        print(str(error), file=sys.stderr)
        status = 1
    finally:
        nbformat.write(nb, args.output)
    return status


if __name__ == "__main__":
    sys.exit(main())
