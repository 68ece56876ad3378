"""Grades into a learning management system: files for Canvas's and Moodle's grade import, and Canvas's API.

Every way in matches dlgrade's student ids (submission folder names) to the
LMS's students (:mod:`grader.lms.matching`) and sends each matched student's
final score (:mod:`grader.lms.grades`); who could not be matched, on either
side, is reported, never guessed.
"""
