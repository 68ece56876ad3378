"""Exercise 6: gather and scatter instead of Python loops.

Implement ``pick``, ``one_hot`` and ``class_sums``; see README.md in this folder.
"""

from __future__ import annotations

import torch


def pick(logits, targets):
    """The score of each row's target class: ``out[i] = logits[i, targets[i]]``.

    ``logits`` is a float tensor ``[B, C]``, ``targets`` an int64 tensor ``[B]``.
    Returns a tensor ``[B]`` (shape ``[1]`` when ``B == 1``) of ``logits``' dtype,
    built with ``torch.gather`` so that gradients flow back to ``logits``.
    """
    raise NotImplementedError


def one_hot(labels, num_classes):
    """A float32 ``[N, num_classes]`` tensor: ``out[i, labels[i]] = 1``, every other entry 0.

    ``labels`` is an int64 tensor ``[N]``. Fill a tensor of zeros with
    ``scatter_``; ``torch.nn.functional.one_hot`` is forbidden.
    """
    raise NotImplementedError


def class_sums(values, labels, num_classes):
    """The sum of ``values`` per class: ``out[c] = values[labels == c].sum()``.

    ``values`` is a tensor ``[N]`` (any numeric dtype), ``labels`` an int64
    tensor ``[N]``. Returns a tensor ``[num_classes]`` of ``values``' dtype
    (0 for a class that does not appear), built with ``scatter_add_`` or
    ``index_add_``. The inputs are not modified.
    """
    raise NotImplementedError
