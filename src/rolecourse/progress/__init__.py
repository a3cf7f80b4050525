"""Progress: a learner's snapshot, its JSON codec and migrations, the locked atomic store,
review scheduling (FSRS), mastery from the records, cohort reading and reports as data.
"""
