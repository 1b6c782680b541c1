#!/usr/bin/python3
# The host in a box's sandbox probe: tries what a platform service's sandbox forbids and prints, as one JSON
# object, how each attempt ended ("ok", an errno name, or "signal <n>"). The test runs it twice with
# systemd-run as the service's user: once under the unit's own sandbox properties, once without them, so a
# refusal can only come from the sandbox (the same attempt succeeds without it).
#   sandbox-probe.py <directory the user owns, outside the unit's writable paths>
import ctypes
import errno
import json
import os
import socket
import sys

libc = ctypes.CDLL(None, use_errno=True)
PTRACE_TRACEME = 0


def attempt(action):
    """Runs action in a child, so that a syscall filter that kills still lets the probe report."""
    pid = os.fork()
    if pid == 0:
        try:
            action()
            os._exit(0)
        except OSError as error:
            os._exit(error.errno or 255)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    code = os.WEXITSTATUS(status)
    return "ok" if code == 0 else errno.errorcode.get(code, str(code))


def syscall(function, *args):
    def call():
        if function(*args) == -1:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))

    return call


def write_into(directory):
    def write():
        with open(os.path.join(directory, "probe"), "w") as out:
            out.write("x")

    return write


def open_netlink_socket():
    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0).close()


results = {
    # @debug: outside @system-service; any user may ask to be traced by its parent.
    "ptrace": attempt(syscall(libc.ptrace, PTRACE_TRACEME, 0, None, None)),
    "write": attempt(write_into(sys.argv[1])),
    # Any user may open a netlink socket; RestrictAddressFamilies= without AF_NETLINK refuses it.
    "AF_NETLINK": attempt(open_netlink_socket),
}
print(json.dumps(results))
