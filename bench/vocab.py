"""Words, names and sentences for the synthetic inquiry (deterministic per Random).

The texts are invented. They mix common words (every query finds them), a
few recurring phrases ("Healthcare Commission") and rare words (a handful of
hits in a whole inquiry), so search queries of each kind have realistic work.
"""

import random

SURNAMES = [
    "Ashworth",
    "Bennett",
    "Carmichael",
    "Dalton",
    "Ellison",
    "Fairbairn",
    "Gallagher",
    "Hargreaves",
    "Ingram",
    "Jepson",
    "Kendrick",
    "Lowther",
    "Mansell",
    "Norbury",
    "Okafor",
    "Pemberton",
    "Quayle",
    "Radcliffe",
    "Sheldon",
    "Thackeray",
    "Underwood",
    "Varley",
    "Whitfield",
    "Yardley",
    "Abernethy",
    "Bramall",
    "Cholmondeley",
    "Duckworth",
    "Entwistle",
    "Fothergill",
    "Greenhalgh",
    "Hollingworth",
    "Iqbal",
    "Jowett",
    "Kavanagh",
    "Lindqvist",
    "Molyneux",
    "Nuttall",
    "Osei",
]
FIRST = [
    "Alison",
    "Brian",
    "Catherine",
    "David",
    "Eleanor",
    "Frank",
    "Grace",
    "Hugh",
    "Imogen",
    "James",
    "Karen",
    "Leonard",
    "Margaret",
    "Nigel",
    "Olivia",
    "Peter",
    "Rachel",
    "Simon",
    "Teresa",
    "Victor",
    "Wendy",
    "Yusuf",
    "Amrit",
    "Bridget",
    "Colin",
    "Deborah",
]
TITLES = ["Mr", "Mrs", "Ms", "Dr", "Professor", "Sir", "Dame"]
COUNSEL = ["MR KARK", "MS LAMBERT", "MR FRANCIS", "MISS GRAY", "MR HOLLAND", "MRS PRICE"]
BODIES = [
    "the Healthcare Commission",
    "Monitor",
    "the strategic health authority",
    "the primary care trust",
    "the Care Quality Commission",
    "the Royal College of Nursing",
    "the Department of Health",
    "the trust board",
    "the clinical governance committee",
    "the coroner",
    "the deanery",
    "the Nursing and Midwifery Council",
    "the General Medical Council",
    "the patients' forum",
]
TOPICS = [
    "mortality rates",
    "nurse staffing levels",
    "the accident and emergency department",
    "the four-hour target",
    "hand hygiene",
    "complaints handling",
    "ward 11",
    "the emergency assessment unit",
    "patient safety",
    "clinical governance",
    "foundation trust status",
    "the savings programme",
    "the board minutes",
    "infection control",
    "pressure sores",
    "the bed management system",
    "medication errors",
    "the whistleblowing policy",
    "the peer review of surgery",
    "discharge planning",
    "the hospital standardised mortality ratio",
    "agency staff",
    "the triage process",
    "the incident reports",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# Appear in very few turns: the "rare word" queries look for them.
RARE = ["thrombolysis", "sphygmomanometer", "laparoscopic", "haemofiltration", "tracheostomy"]

QUESTIONS = [
    "Did you raise {topic} with {body} in {month} {year}?",
    "What did {person} tell you about {topic}?",
    "Can we look at the letter of {day} {month} {year}, please? Who wrote it?",
    "When did you first become aware of concerns about {topic}?",
    "Were you satisfied with the response of {body}?",
    "Is that a document you saw at the time?",
    "What, if anything, did the board do about {topic}?",
    "Would you agree that {topic} was a matter for {body}?",
    "Could you explain to the inquiry what you meant by that?",
    "Did anyone at {body} ask you about {topic} before {year}?",
]
ANSWERS = [
    "Yes. I wrote to {body} about {topic} because the figures were getting worse.",
    "I do not recall that meeting, but I accept that the minutes record it.",
    "{person} told me that {topic} was being dealt with and that I need not worry.",
    "No. With hindsight I should have pressed harder on {topic}.",
    "The position was that {body} was responsible, and we relied on their assurance.",
    "I think that is fair. We were concentrating on finance and on the targets at the time.",
    "I raised it at the {month} board meeting, and it was minuted, but nothing changed on the ward.",
    "I was not shown the report until {month} {year}, which was some months after it was written.",
    "Staff were under great pressure. There were nights with two nurses for thirty patients.",
    "That is right. The concerns about {topic} came from relatives first, not from our own systems.",
    "I cannot help the inquiry on that; it was before my time in post.",
    "We had an action plan for {topic}, but looking back it was not followed through.",
]
CHAIR = [
    "Yes, thank you.",
    "Shall we take a short break there?",
    "Please take your time.",
    "I think we will stop there for the day.",
    "Could you speak up a little, please?",
]
STAGES = [
    "(Pause)",
    "(A short break)",
    "(11.30 am)",
    "(1.00 pm)",
    "(2.00 pm)",
    "(3.15 pm)",
    "(The luncheon adjournment)",
    "(Document shown to witness)",
]
NOTES = [
    "Contradicts the board minutes of {month} {year}.",
    "Check against the exhibit bundle.",
    "Key admission on {topic}.",
    "Compare with the evidence of {person}.",
    "Put to the next witness.",
    "Follow up: who else was told about {topic}?",
    "Important for the chapter on {topic}.",
    "Timeline entry for {month} {year}.",
]
PARAGRAPHS = [
    "In {month} {year} I attended a meeting with {body} at which {topic} was discussed.",
    "I was concerned about {topic} and I raised this with {person} on more than one occasion.",
    "The figures for {topic} were reported to the board each month, but they were not discussed in any detail.",
    "I believe that {body} should have intervened earlier, and I said so at the time.",
    "I refer to the email of {day} {month} {year}, which I exhibit to this statement.",
    "Staff on the wards told me that they did not feel able to raise concerns about {topic}.",
    "I have been asked whether I was aware of {topic}. I was aware of it in general terms only.",
    "The action plan agreed with {body} was reviewed in {month} {year} and found to be incomplete.",
]


def person(rng: random.Random) -> str:
    return f"{rng.choice(TITLES)} {rng.choice(SURNAMES)}"


def full_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"


def fill(rng: random.Random, template: str) -> str:
    text = template.format(
        topic=rng.choice(TOPICS),
        body=rng.choice(BODIES),
        month=rng.choice(MONTHS),
        year=rng.randint(2003, 2010),
        day=rng.randint(1, 28),
        person=person(rng),
    )
    if rng.random() < 0.002:  # a rare word in about one turn in 500
        text = text.rstrip(".?") + f", including the {rng.choice(RARE)} equipment."
    return text[0].upper() + text[1:]


def sentences(rng: random.Random, templates: list[str], lo: int, hi: int) -> str:
    return " ".join(fill(rng, rng.choice(templates)) for _ in range(rng.randint(lo, hi)))


def day_turns(rng: random.Random, n_lines: int) -> tuple[list[list[str]], str, str]:
    """Turns of one hearing day, roughly n_lines long once laid out (about 60
    characters a line). Returns (turns, first witness, first counsel)."""
    turns: list[list[str]] = [["", "(10.00 am)"], ["THE CHAIRMAN", "Good morning."]]
    first_witness = first_counsel = ""
    budget = 0
    while budget < n_lines:
        witness, counsel = full_name(rng), rng.choice(COUNSEL)
        first_witness, first_counsel = first_witness or witness, first_counsel or counsel
        turns.append([counsel, f"Sir, the next witness is {witness}."])
        turns.append(["@sworn", f"{witness.upper()} ({rng.choice(['sworn', 'affirmed'])})"])
        turns.append(["@heading", f"Questions by {counsel}"])
        budget += 4
        for _ in range(rng.randint(20, 120)):
            q = sentences(rng, QUESTIONS, 1, 2)
            a = sentences(rng, ANSWERS, 1, 4)
            turns += [["Q", q], ["A", a]]
            budget += len(q) // 58 + len(a) // 58 + 2
            roll = rng.random()
            if roll < 0.03:
                turns.append(["@stage", rng.choice(STAGES)])
                budget += 1
            elif roll < 0.06:
                turns.append(["THE CHAIRMAN", rng.choice(CHAIR)])
                budget += 1
            if budget >= n_lines:
                break
        turns.append([counsel, "Thank you. Those are all my questions."])
        turns.append(["@stage", "(The witness withdrew)"])
        budget += 2
    return turns, first_witness, first_counsel
