"""No network for query workers: a seccomp filter makes creating an internet socket fail.

The guard in :mod:`mpsc_graph.sparql` refuses SERVICE and LOAD of IRIs not on the allow-list by
scanning the query text. A scan can be fooled wherever it reads the text differently from the
engine (each such way found so far is fixed and has a regression test), and
pyoxigraph has no switch to turn SERVICE off. So a worker that needs no SERVICE target also
loses the means to fetch anything: ``socket(AF_INET | AF_INET6, ...)`` fails with EACCES, and the
engine's HTTP client with it. The worker keeps its Unix socket to the server (created before).

Linux on x86-64 and aarch64 (seccomp-bpf, no extra package); elsewhere :func:`deny_network`
returns False and the guard alone protects, which the server logs.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
AF_INET = 2
AF_INET6 = 10
#: The audit architecture and the number of the socket() system call, per machine.
ARCHITECTURES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}

# classic BPF: load a 32-bit word at an offset of struct seccomp_data, compare, return
_LOAD = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JUMP_IF_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_RETURN = 0x06  # BPF_RET | BPF_K
_NR, _ARCH, _FIRST_ARGUMENT = 0, 4, 16  # offsets in struct seccomp_data (little-endian low word)


class _Instruction(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Instruction))]


def network_filter(arch: int, socket_call: int) -> list[tuple[int, int, int, int]]:
    """The filter: socket() for IPv4 or IPv6 fails with EACCES, as does any call from another ABI;
    everything else is allowed. Jump offsets count from the next instruction."""
    deny = SECCOMP_RET_ERRNO | errno.EACCES
    return [
        (_LOAD, 0, 0, _ARCH),
        (_JUMP_IF_EQUAL, 1, 0, arch),  # our ABI: go on; another (32-bit compat calls): deny
        (_RETURN, 0, 0, deny),
        (_LOAD, 0, 0, _NR),
        (_JUMP_IF_EQUAL, 0, 3, socket_call),  # not socket(): allow
        (_LOAD, 0, 0, _FIRST_ARGUMENT),  # the address family
        (_JUMP_IF_EQUAL, 2, 0, AF_INET),
        (_JUMP_IF_EQUAL, 1, 0, AF_INET6),
        (_RETURN, 0, 0, SECCOMP_RET_ALLOW),
        (_RETURN, 0, 0, deny),
    ]


def deny_network() -> bool:
    """Install the filter in this process (irreversible, inherited by its threads and children).

    True when installed; False where the system cannot (not Linux, another machine, no seccomp).
    """
    machine = ARCHITECTURES.get(platform.machine())
    if not sys.platform.startswith("linux") or machine is None:
        return False
    instructions = network_filter(*machine)
    table = (_Instruction * len(instructions))(*(_Instruction(*step) for step in instructions))
    program = _Program(len(instructions), table)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) == 0
    except (OSError, AttributeError):
        return False


def seccomp_mode(pid: int) -> int | None:
    """A process's seccomp mode from /proc (0 none, 2 filter); None where unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Seccomp:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None
