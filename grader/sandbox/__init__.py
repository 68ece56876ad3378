"""Isolation: runners, the zygote that forks them, and the layers around them."""
