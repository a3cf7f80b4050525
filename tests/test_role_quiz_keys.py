"""The role quizzes' answer keys, written down by hand and proven against the question banks.

The learner notebooks used to carry these keys in a hidden cell; the keys now live here, out
of the learners' sight (issue 14). Each key gives full marks, one wrong answer does not, and
a key that names a question the bank lacks (or misses one it has) fails. If someone changes
an answer in a bank without changing the key here, these tests fail.
"""

from __future__ import annotations

import pytest

from rolecourse import load_curriculum, load_quiz
from rolecourse.assessment.answer_keys import grade_answers, wrong_answer

ANSWER_KEYS = {
    "data-analyst": {
        "da-responsibility-core": 1,
        "da-sql-group-by": 0,
        "da-sql-where-having": 2,
        "da-sql-left-join": True,
        "da-tool-choice-dashboard": 3,
        "da-cleaning-steps": [0, 2, 3],
        "da-mean-median": 1,
        "da-p-value": 2,
        "da-correlation-causation": False,
        "da-percent-change": 15,
        "da-chart-choice": 2,
        "da-sql-clause-name": "ORDER BY",
        "da-scenario-stakeholder": [0, 1, 3],
        "da-python-r-use": True,
    },
    "data-engineer": {
        "de-responsibility-core": 2,
        "de-etl-letters": "Load",
        "de-tool-orchestration": 3,
        "de-tool-match": [0, 1, 2],
        "de-oltp-olap": 0,
        "de-nosql-fit": 0,
        "de-relational-key": True,
        "de-data-quality": [1, 2, 3],
        "de-spark-partitions": 512,
        "de-idempotent": 0,
        "de-cloud-platforms": True,
        "de-language-choice": 0,
        "de-scenario-new-source": 1,
    },
    "ml-engineer": {
        "mle-responsibility-core": [0, 1, 3],
        "mle-overfitting": 0,
        "mle-train-test-leak": False,
        "mle-sklearn-api": "fit",
        "mle-accuracy-confusion": 97,
        "mle-precision-recall": 2,
        "mle-deploy-api": 0,
        "mle-cicd": [0, 1, 3],
        "mle-git": True,
        "mle-drift": 1,
        "mle-framework-choice": 1,
        "mle-cross-validation": 0.8,
        "mle-scenario-collab": 2,
    },
    "dl-engineer": {
        "dle-architecture-images": 2,
        "dle-backprop": 0,
        "dle-gpu-why": 2,
        "dle-matmul-shape": 131328,
        "dle-frameworks": [1, 2],
        "dle-vanishing": True,
        "dle-overfit-regularise": [0, 2, 3],
        "dle-probability-softmax": 1,
        "dle-deploy-efficiency": 2,
        "dle-distributed": 0,
        "dle-gan-name": "Generative",
        "dle-research": True,
    },
    "data-scientist": {
        "ds-responsibility-core": 2,
        "ds-ab-test-design": [0, 3],
        "ds-probability-dice": 0.1667,
        "ds-base-rate": 0,
        "ds-eda-first": 2,
        "ds-model-choice": 2,
        "ds-confidence-interval": False,
        "ds-python-r-sql": [0, 1],
        "ds-feature-leak-scenario": 2,
        "ds-median-name": "median",
        "ds-communicate-result": 1,
        "ds-modeling-assumptions": False,
    },
    "ai-engineer": {
        "aie-responsibility-core": 0,
        "aie-rl-concepts": [0, 1, 2],
        "aie-api-design": 2,
        "aie-gradient-descent": 1,
        "aie-learning-rate-step": 1.6,
        "aie-linear-algebra-embeddings": 1,
        "aie-cicd": True,
        "aie-cloud-scaling": 1,
        "aie-nlp-cv-match": [0, 1, 2],
        "aie-research-apply": 1,
        "aie-rl-acronym": "reinforcement learning",
        "aie-python-role": True,
    },
    "deep-learning-engineer": {
        "dlx-role-overlap": True,
        "dlx-transformer-attention": 1,
        "dlx-attention-cost": 0,
        "dlx-mixed-precision": 2,
        "dlx-gpu-memory": 14,
        "dlx-chain-rule": 2,
        "dlx-probability-dropout": 100,
        "dlx-distributed-frameworks": [0, 2, 3],
        "dlx-keras-fit": "fit",
        "dlx-reproduce-paper": [1, 2, 3],
        "dlx-production-latency": 0,
        "dlx-gan-training": True,
        "dlx-statistics-eval": 2,
    },
}
"""The answer key of each role's quiz bank, by role id (question id → the right answer)."""

CURRICULUM = load_curriculum()


def test_every_role_has_a_written_key():
    """Each role of roles.yaml has a written key here, and no key names an unknown role."""
    assert sorted(ANSWER_KEYS) == sorted(r.id for r in CURRICULUM.roles)


@pytest.mark.parametrize("role", sorted(ANSWER_KEYS))
def test_key_covers_the_bank(role):
    """The key answers exactly the bank's questions."""
    quiz = load_quiz(role, curriculum=CURRICULUM)
    assert sorted(ANSWER_KEYS[role]) == sorted(q.id for q in quiz.questions)


@pytest.mark.parametrize("role", sorted(ANSWER_KEYS))
def test_key_gives_full_marks(role):
    """Answering every question with the written key gives n/n correct."""
    quiz = load_quiz(role, curriculum=CURRICULUM)
    score = grade_answers(quiz, ANSWER_KEYS[role])
    assert score.full_marks, str(score)
    assert str(score).startswith(f"{len(quiz.questions)}/{len(quiz.questions)} correct")


@pytest.mark.parametrize("role", sorted(ANSWER_KEYS))
def test_one_wrong_answer_loses_a_mark(role):
    """Replacing the first question's answer with a wrong one gives less than full marks."""
    quiz = load_quiz(role, curriculum=CURRICULUM)
    first = quiz.questions[0]
    score = grade_answers(quiz, {**ANSWER_KEYS[role], first.id: wrong_answer(first)})
    assert not score.full_marks
    assert score.not_correct == (first.id,)
