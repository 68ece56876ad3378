"""Grading a whole class: roster, plan, parallel judges, gradebook."""
