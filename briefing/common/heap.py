"""Freed memory given back to the system (issue 14: a 600-page build's peak memory).

CPython asks the C library for every object larger than 512 bytes (a page's HTML, its
Markdown, the trees lxml builds for the link scans and the print editions), and glibc's
``free`` keeps what it gets back in its heap for the next request, handing it to the system
only from the top of the heap. Rendering hundreds of pages leaves that heap full of holes:
about 13 MB of the build's 100 MB at the end of the 600-page series' page loop was free memory
the process still held. ``malloc_trim`` gives every free page of the heap back (it takes a
tenth of a millisecond); ``give_back`` calls it where a build has just let a lot go.

Only with glibc (Linux): elsewhere ``give_back`` does nothing (a C library without
``malloc_trim`` returns memory in its own way).
"""

from __future__ import annotations

import ctypes
from functools import cache


@cache
def _malloc_trim():
    """glibc's ``malloc_trim``, found among the symbols the process has loaded (not by
    ``ctypes.util.find_library``, which runs ``ldconfig``: a build starts no process it does not
    need); None where there is none."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def give_back() -> bool:
    """The C heap's free pages given back to the system; False where that cannot be asked."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
