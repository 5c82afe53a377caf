"""Runs one notebook headless for the RT-Lakehouse scheduler (services/src/scheduler).

Executes the cells in order on a Jupyter kernel with nbclient, writes the executed notebook
after every cell (so a failed, timed-out or interrupted run keeps what it did, the error in
place), then renders it to HTML with nbconvert. Reports on stdout, one JSON object a line:
{"event": "kernel", "pid": N}, {"event": "cell", "index": i}, and last
{"event": "done", "status": "succeeded"|"failed", "error": null|{...}, "html": bool}.

The parent keeps stdin open for the whole run: when it closes (the scheduler died), the
kernel is killed and this process exits, so no run outlives its scheduler.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import sys
import threading
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KERNEL_PID = {"pid": None}
CLIENT = {"client": None}


def emit(event, **fields):
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def write_atomic(path, text):
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def child_pids():
    """Pids of this process's children (Linux /proc; empty elsewhere)."""
    me, children = os.getpid(), []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return children
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == me:
            children.append(int(entry))
    return children


def kill_kernel():
    pids = set(child_pids())
    if KERNEL_PID["pid"] is not None:
        pids.add(KERNEL_PID["pid"])
    # While the kernel starts (before it answers), its pid is known only to the provisioner.
    km = getattr(CLIENT["client"], "km", None)
    pid = getattr(getattr(km, "provisioner", None), "pid", None)
    if pid is not None:
        pids.add(pid)
    for pid in pids:
        try:
            # The kernel leads its own session (jupyter_client starts it so): end the whole group.
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def watch_parent():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except Exception:
        pass
    kill_kernel()
    os._exit(3)


def output_text(output):
    if output.get("output_type") == "error":
        return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    if output.get("output_type") == "stream" and output.get("name") == "stderr":
        text = output.get("text", "")
        return "".join(text) if isinstance(text, list) else text
    return ""


def cell_error_message(cell, exc):
    texts = [t for t in (output_text(o) for o in cell.get("outputs", [])) if t.strip()]
    if texts:
        # tslab reports a throw as stderr text: source excerpt, "Error: message", stack frames.
        # Keep the "Error: message" line when there is one, else the text without stack frames.
        lines = [line for line in texts[-1].splitlines() if line.strip() and not line.lstrip().startswith("at ")]
        named = [line for line in lines if re.match(r"^[\w$.]*(Error|Exception)\b", line)]
        message = named[-1] if named else "\n".join(lines).strip()
    else:
        ename = getattr(exc, "ename", None) or type(exc).__name__
        evalue = getattr(exc, "evalue", None) or str(exc)
        message = f"{ename}: {evalue}"
    return message[:4000]


def error_output(ename, evalue):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


async def run(args):
    nb = nbformat.read(args.input, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=max(1, int(args.timeout)),
        allow_errors=False,
        interrupt_on_timeout=False,
        shutdown_kernel="immediate",
        startup_timeout=args.startup_timeout,
        record_timing=True,
        resources={"metadata": {"path": args.cwd}},
    )
    CLIENT["client"] = client
    status, error = "succeeded", None
    # The cell that ran out of time and its outputs then: what the kernel still sends while it is
    # being killed (tslab: "Interrupted asynchronously" and a stack) is not the cell's output.
    timed_out = None
    save = lambda: write_atomic(args.output, nbformat.writes(nb))  # noqa: E731
    save()
    try:
        async with client.async_setup_kernel():
            provisioner = getattr(client.km, "provisioner", None)
            KERNEL_PID["pid"] = getattr(provisioner, "pid", None) or getattr(
                getattr(provisioner, "process", None), "pid", None
            )
            emit("kernel", pid=KERNEL_PID["pid"])
            deadline = time.monotonic() + args.timeout
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise CellTimeoutError.error_from_timeout_and_cell("Cell execution timed out", args.timeout, cell)
                client.timeout = max(1, int(remaining + 0.999))
                try:
                    await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                except CellTimeoutError:
                    message = f"the run took longer than its timeout of {args.timeout:g} s (stopped in cell {index})"
                    cell.outputs.append(error_output("TimeoutError", message))
                    timed_out = (cell, list(cell.outputs))
                    status, error = "failed", {"kind": "timeout", "cell": index, "message": message}
                    break
                except CellExecutionError as exc:
                    status, error = "failed", {"kind": "cell", "cell": index, "message": cell_error_message(cell, exc)}
                    break
                except DeadKernelError as exc:
                    message = f"the kernel died in cell {index}: {exc}"
                    cell.outputs.append(error_output("DeadKernelError", message))
                    status, error = "failed", {"kind": "kernel", "cell": index, "message": message}
                    break
                finally:
                    save()
                emit("cell", index=index)
            client.set_widgets_metadata()
    except Exception as exc:  # kernel start-up failures and anything nbclient raises outside a cell
        if error is None:
            status, error = "failed", {"kind": "kernel", "message": f"{type(exc).__name__}: {exc}"[:4000]}
    finally:
        kill_kernel()
    if timed_out is not None:
        timed_out[0].outputs = timed_out[1]
    save()
    html = False
    try:
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
        write_atomic(args.html, body)
        html = True
    except Exception as exc:
        sys.stderr.write(f"HTML export failed: {type(exc).__name__}: {exc}\n")
    emit("done", status=status, error=error, html=html)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--html", required=True)
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--cwd", default=os.getcwd())
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--startup-timeout", type=int, default=120)
    args = parser.parse_args()
    threading.Thread(target=watch_parent, daemon=True).start()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
