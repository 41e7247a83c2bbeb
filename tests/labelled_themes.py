"""A labelled set for theme suggestions: 4 themes x 12 passages of invented
evidence in the manner of a hospital inquiry (written for this project).

Used by tests/core/test_similar_quality.py and bench/bench_similar.py: tag the
first TAG_FIRST of each theme, ask for suggestions for the rest.
"""

TAG_FIRST = 8

LABELLED: dict[str, list[str]] = {
    "Targets": [
        "The chief executive told the board that the four-hour waiting time in A&E had to be met every week, whatever it took.",
        "We were judged on whether we hit the numbers; the trust's star rating depended on them and everybody knew it.",
        "Patients were moved out of the emergency department just before the clock ran out so that the breach would not be recorded.",
        "The finance director set a savings figure of ten million pounds and the divisions were told to find it in the year.",
        "Foundation trust status was the overriding goal and the monthly performance report was all the board discussed.",
        "Bed managers were instructed to clear the assessment unit to keep the waiting list figures inside the national standard.",
        "The eighteen-week referral to treatment target drove the theatre schedule more than the needs of the patients did.",
        "Every Monday the divisional managers had to account for any breach of the access standards in front of the executive team.",
        "The ambulance turnaround times were monitored hourly, and crews were held outside so the arrival clock did not start.",
        "The cost improvement programme required each ward to cut its budget by five per cent regardless of its workload.",
        "Meeting the access targets was treated as the measure of a good manager, and bonuses were linked to the performance tables.",
        "The strategic health authority pressed us for the waiting times return and asked nothing about how the patients fared.",
    ],
    "Quality of care": [
        "Elderly patients were left in soiled sheets for hours and nobody came when they rang the call bell.",
        "My mother was not helped to eat; her food tray was put out of reach and taken away untouched.",
        "Relatives found patients dehydrated, with water jugs left empty on the bedside table for whole shifts.",
        "Nurses were rude and dismissive when families asked about pain relief, and my father was in pain all night.",
        "Basic nursing care such as washing, turning and mouth care was not done, and pressure sores developed.",
        "The ward smelled of urine and the toilets were not cleaned, so patients were ashamed to use them.",
        "Patients with dementia wandered the corridor at night without anyone noticing or speaking to them kindly.",
        "Call bells were unplugged or placed where patients could not reach them, and requests for the commode were ignored.",
        "My husband's dignity was not respected; he was left uncovered in a bay with the curtains open.",
        "Families had to come in at mealtimes to feed their relatives because the staff did not have time to help them eat.",
        "Medication was given late or missed altogether, and the charts showed doses signed for that were never given.",
        "The discharge was chaotic: my aunt was sent home at night without her tablets, still confused and unable to walk.",
    ],
    "Safety": [
        "The hospital's mortality ratio was far above the expected level for three years, and the alerts were explained away as coding.",
        "There were not enough registered nurses on the night shift, so one nurse was responsible for thirty patients.",
        "Serious incidents were not reported, and when they were, the investigations found no lessons and changed nothing.",
        "Patients deteriorated on the ward without observations being taken, and the early warning scores were never calculated.",
        "The infection rate for Clostridium difficile rose sharply and the isolation rooms were used for other purposes.",
        "A junior doctor was left alone to cover the whole medical take overnight with no senior support available.",
        "The equipment on the resuscitation trolley was out of date and the defibrillator had not been checked for months.",
        "Staffing levels were cut below the safe minimum agreed by the nursing directorate to balance the budget.",
        "Falls on the ward were frequent, and patients known to be at risk were not given bed rails or supervision.",
        "The incident reporting system logged hundreds of reports about staff shortages that nobody analysed.",
        "Deaths after emergency surgery were higher than at comparable hospitals, and the surgeons were not told the figures.",
        "Patients waited hours in the emergency department for a doctor while their sepsis went unrecognised.",
    ],
    "Clinical leadership": [
        "The medical director did not see it as his role to challenge the board about the standard of care on the wards.",
        "Consultants who raised concerns were told to go through the proper channels, and nothing came back to them.",
        "There was no clinical voice on the executive team; decisions about services were taken by managers alone.",
        "The lead clinician for the surgical division was rarely seen on the wards and did not hold regular audit meetings.",
        "The nursing director accepted the new ward structure without asking the senior sisters whether it was workable.",
        "Doctors felt that speaking out would damage their careers, so the culture of silence among the consultant body persisted.",
        "The clinical governance committee met irregularly, its minutes were thin, and it never called anyone to account.",
        "The ward sisters had lost their authority after the restructuring and were no longer able to lead their teams.",
        "Senior doctors did not take responsibility for the failings in their departments; they blamed the managers instead.",
        "The divisional clinical directors were given management titles but neither the time nor the training to lead.",
        "When the college's report criticised the surgical team, the clinical leads disputed it rather than acting on it.",
        "No consultant took ownership of patients on the outlying wards, so their care had no one clinically in charge.",
    ],
}
