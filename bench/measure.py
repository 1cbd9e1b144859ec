#!/usr/bin/python3
"""Runs one command with its output thrown away and prints, in one line,
its CPU time (user + system) and wall time in nanoseconds and its peak
resident memory in KiB. CPU time comes from the kernel's rusage at
microsecond resolution (/usr/bin/time rounds it to 10 ms, too coarse for
the fast runs); peak memory from /usr/bin/time, which runs the command,
because a child forked from Python would count Python's pages too.
usage: measure.py CMD [ARG...]   (exit status: the command's)"""
import os
import sys
import tempfile
import time


def main(argv):
    mem = tempfile.NamedTemporaryFile('r', prefix='st-measure-')
    argv = ['/usr/bin/time', '-f', '%M', '-o', mem.name] + argv
    t0 = time.monotonic_ns()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic_ns() - t0
    cpu = round((ru.ru_utime + ru.ru_stime) * 1e9)
    lines = mem.read().split()
    print('%d %d %s' % (cpu, wall, lines[-1] if lines else '0'))
    return os.waitstatus_to_exitcode(status)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
