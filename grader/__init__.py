"""dlgrade: a sandboxed autograder for PyTorch data-loading exercises."""
