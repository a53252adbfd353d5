"""Run one command and report its wall time and memory as one JSON line.

    python3 bench/measure.py COMMAND [ARG...]

Prints {"wall_s", "maxrss_mib", "tree_peak_mib", "rc"}:
  wall_s         process start to exit (time.perf_counter around the child);
  maxrss_mib     peak RSS of the largest single process of the command
                 (ru_maxrss from wait4: what /usr/bin/time's %M reports; for
                 the djangocdk CLI, the largest of the Go process and the jsii
                 runtime's Node.js processes);
  tree_peak_mib  peak of the summed RSS of the command's whole process tree
                 (the Go process and Node.js together), sampled every 20 ms
                 from /proc; what the machine must hold at once.
The command's own output goes to stderr only when it fails. Standard library
only; Linux (/proc).
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time

INTERVAL = 0.02


def tree_rss_kib(root: int) -> int:
    """Summed VmRSS (KiB) of root and all its descendants."""
    parent = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may contain spaces and parentheses: split after the last ")".
        fields = stat[stat.rfind(b")") + 2 :].split()
        parent[int(name)] = int(fields[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, ppid in parent.items():
            if ppid == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * page_kib
        except (OSError, IndexError, ValueError):
            pass
    return total


def main() -> None:
    cmd = sys.argv[1:]
    log = tempfile.TemporaryFile()
    done = threading.Event()
    result = {}

    def reap(pid: int) -> None:
        # wait4 returns the exact exit time and the rusage of this child and
        # the descendants it waited for; the sampler never delays it.
        _, status, usage = os.wait4(pid, 0)
        result["end"] = time.perf_counter()
        result["status"], result["usage"] = status, usage
        done.set()

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    reaper = threading.Thread(target=reap, args=(proc.pid,))
    reaper.start()
    peak = 0
    while not done.is_set():
        peak = max(peak, tree_rss_kib(proc.pid))
        done.wait(INTERVAL)
    reaper.join()
    proc.returncode = os.waitstatus_to_exitcode(result["status"])
    maxrss = result["usage"].ru_maxrss
    if proc.returncode != 0:
        log.seek(0)
        sys.stderr.write(log.read().decode(errors="replace"))
    print(
        json.dumps(
            {
                "wall_s": round(result["end"] - start, 4),
                "maxrss_mib": round(maxrss / 1024, 1),
                "tree_peak_mib": round(max(peak, maxrss) / 1024, 1),
                "rc": proc.returncode,
            }
        )
    )


if __name__ == "__main__":
    main()
