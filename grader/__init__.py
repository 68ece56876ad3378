"""dlgrade: a sandboxed autograder for PyTorch data-loading exercises."""

import os

# torch reads this once, at its first allocation: tensors of 2 MiB and more then get transparent huge pages
# (one page fault per 2 MiB instead of per 4 KiB), which halves the time of checks that build large tensors
# in a freshly forked runner. Set before the grader allocates anything, so every runner inherits it.
os.environ.setdefault("THP_MEM_ALLOC_ENABLE", "1")
