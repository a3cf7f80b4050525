"""Planning: learning paths, week-by-week schedules, study plans, cohorts, role comparisons
and role profiles, all as data. Rendering them as text or files is :mod:`rolecourse.export`'s job.
"""
