"""Realistic, diverse class rosters for the cohort benchmark (and the cohort golden fixture).

A real intake is not a few repeated rows. Each learner here, drawn from a seeded
:class:`random.Random` (the same seed gives the same roster, byte for byte):

* has a name of their own: a first and a last name from international lists (accents,
  apostrophes, hyphens, a few non-Latin scripts), so some names repeat and get ``-2`` stems;
* aims at one of the curriculum's roles, by id (four in five) or by display name;
* knows their own few skills: 0 to 4 skills drawn from the whole curriculum, each at a random
  level 0-3 or bare (which means 3), in random order;
* studies 4 to 20 hours a week (whole hours, one in four with a half hour more);
* starts on their own day, any day of the 91 days from ``FIRST_START``; one in ten rows leaves
  ``start`` empty (the command's ``--start`` then applies).

With the shipped curriculum almost every row is a distinct (role, known, pace, start)
combination: at 10,000 learners about 99% of rows, so no cache hides the cost of a real class.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Sequence

FIRST_START = date(2026, 1, 5)
"""The earliest start date of a generated roster (a Monday)."""

START_DAYS = 91
"""Starts spread over this many days (three months)."""

FIRST_NAMES = (
    "Ada", "Grace", "Alan", "Karen", "Edsger", "Margaret", "Claude", "Katherine", "Barbara", "John",
    "Frances", "Donald", "Radia", "Tim", "Shafi", "Leslie", "Yoshua", "Fei-Fei", "Geoffrey", "Daphne",
    "Andrew", "Cynthia", "Judea", "Yann", "Timnit", "Joy", "Rana", "Jürgen", "Zoë", "José", "Søren",
    "Chloé", "Ngozi", "Aroha", "Siddharth", "Mei", "Olúwadámilọ́lá", "Ana", "Mateus", "Priya", "Kwame",
    "Lars", "Ingrid", "Nadia", "Omar", "Élodie", "Björn", "Hana", "Kenji", "Amara", "Tomás", "Wanjiru",
    "Dmitri", "Anya", "Sean", "Aoife", "Mohammed", "Fatima", "Lucía", "Giulia", "Luca", "Noor", "Ravi",
    "Sunita", "Thabo", "Lerato", "Pita", "Mere", "Yusuf", "Elif", "Chen", "Li", "Minh", "Thu", "Kofi",
    "Abena", "Pedro", "Inês", "Jonas", "Emma", "Noah", "Olivia", "Liam", "Sofía", "Hugo", "Maja",
    "Oskar", "Ewa", "Piotr", "Zsófia", "Ákos", "Ioana", "Nikos", "Eleni", "Tariq", "Leila", "Arjun",
    "Meera", "Kai", "Aiyana", "Dakota", "Marisol", "Diego", "Camila", "Mbali", "Sipho", "Taini",
    "Андрей", "Мария", "李", "王芳", "さくら", "민준", "Αλέξανδρος", "Ζωή",
)  # fmt: skip

LAST_NAMES = (
    "Lovelace", "Hopper", "Turing", "Spärck Jones", "Dijkstra", "Hamilton", "Shannon", "Johnson",
    "Liskov", "McCarthy", "Allen", "Knuth", "Perlman", "Berners-Lee", "Goldwasser", "Lamport",
    "Bengio", "Li", "Hinton", "Koller", "Ng", "Dwork", "Pearl", "LeCun", "Gebru", "Buolamwini",
    "el Kaliouby", "Schmidhuber", "O'Brien", "García", "Kierkegaard", "Dubois", "Okonjo", "Ngata",
    "Mukherjee", "Wang", "Adébáyọ̀", "Silva", "Costa", "Sharma", "Mensah", "Andersen", "Bergström",
    "Haddad", "Farouk", "Lefèvre", "Sigurðsson", "Tanaka", "Nakamura", "Okafor", "Fernández",
    "Kamau", "Ivanov", "Petrova", "Murphy", "Ní Bhriain", "Al-Sayed", "Rossi", "Bianchi", "Khan",
    "Patel", "Nkosi", "Mokoena", "Te Rangi", "Yılmaz", "Zhang", "Nguyen", "Tran", "Asante", "Boateng",
    "Pereira", "Schneider", "Müller", "Nowak", "Kowalski", "Szabó", "Popescu", "Papadopoulos",
    "Rahman", "Iyer", "Kealoha", "Begay", "Hernández", "Torres", "Dlamini", "Zulu", "van der Berg",
    "de Souza", "MacLeod", "Smith", "Jones", "Brown", "Wilson", "Taylor", "Dubey", "Čapek", "Ødegaard",
    "Иванов", "Смирнова", "Chen", "田中", "김", "Παπαδόπουλος",
)  # fmt: skip

HEADER = ("name", "role", "known", "hours_per_week", "start")


def diverse_rows(n: int, roles: Sequence[tuple[str, str]], skills: Sequence[str], seed: int = 19) -> list[tuple[str, str, str, str, str]]:
    """``n`` roster rows as described in the module docstring.

    ``roles`` is a sequence of (id, display name); ``skills`` the skill ids to draw from.
    """
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        role_id, role_name = rng.choice(roles)
        role = role_name if rng.random() < 0.2 else role_id
        picked = rng.sample(skills, rng.randint(0, min(4, len(skills))))
        known = ";".join(s if (lv := rng.randint(-1, 3)) < 0 else f"{s}:{lv}" for s in picked)
        hours = rng.randint(4, 20) + (0.5 if rng.random() < 0.25 else 0)
        hours_text = f"{hours:g}"
        start = "" if rng.random() < 0.1 else (FIRST_START + timedelta(days=rng.randrange(START_DAYS))).isoformat()
        rows.append((name, role, known, hours_text, start))
    return rows


def write_rows(path: Path, rows: Iterable[Sequence[str]]) -> None:
    """Write ``rows`` under the roster header as UTF-8 CSV with ``\\n`` line ends."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)


def write_diverse_roster(path: Path, n: int, curriculum, seed: int = 19) -> None:
    """A diverse roster of ``n`` learners for ``curriculum`` (a loaded :class:`Curriculum`) at ``path``."""
    roles = [(r.id, r.name) for r in curriculum.roles]
    write_rows(path, diverse_rows(n, roles, sorted(curriculum.skills), seed))
