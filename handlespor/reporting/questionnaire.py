"""The example questionnaire shipped with handlespor: what a first round copies when there is no
earlier round to copy. Every question is marked as an example in the admin until edited.

Pure data: (section title, English title, questions); each question is (key, kind, Danish
text, English text, required, options as "dansk | English" lines, Danish help, English help).
"""

from typing import Final

ACCESS_OPTIONS = "\n".join(
    [
        "Teleslynge | Hearing loop",
        "Tegnsprogstolkning | Sign language interpreting",
        "Ledsagerordning | Free ticket for a companion",
        "Sansevenlige tiltag, fx stillerum | Sensory-friendly measures, e.g. a quiet room",
        "Information i letlæst sprog | Information in easy-to-read language",
        "Tilgængelig backstage for optrædende | Accessible backstage for performers",
    ]
)
STEP_FREE_OPTIONS = "\n".join(
    [
        "Ja, overalt | Yes, everywhere",
        "Delvist | Partly",
        "Nej | No",
        "Ikke relevant (ingen publikum) | Not relevant (no audience)",
    ]
)
SPLIT_HELP = (
    "Skriv det samlede antal og antallet for hvert køn; delene skal give det samlede antal.",
    "Give the total and the number for each gender; the parts must add up to the total.",
)

EXAMPLE: Final = (
    (
        "Køn og repræsentation",
        "Gender and representation",
        (
            ("koen_bestyrelse", "gender_split", "Bestyrelsen", "The board", True, "", *SPLIT_HELP),
            ("koen_ledelse", "gender_split", "Ledelsen", "The management", True, "", *SPLIT_HELP),
            ("koen_ansatte", "gender_split", "De ansatte", "The employees", True, "", *SPLIT_HELP),
            (
                "koen_kunstnere",
                "gender_split",
                "Kunstnere booket i året",
                "Artists booked during the year",
                False,
                "",
                "Kun hvis I booker kunstnere. Tæl en gruppe som dens medlemmer.",
                "Only if you book artists. Count a band as its members.",
            ),
        ),
    ),
    (
        "Trivsel",
        "Wellbeing",
        (
            (
                "politik_kraenkelser",
                "yes_no",
                "Har organisationen en politik mod krænkelser?",
                "Does the organisation have a policy against harassment?",
                True,
                "",
                "",
                "",
            ),
            (
                "kontaktperson_kraenkelser",
                "yes_no",
                "Har organisationen en navngiven kontaktperson for krænkelser?",
                "Does the organisation have a named contact person for harassment?",
                True,
                "",
                "",
                "",
            ),
            (
                "trivsel_maalt",
                "yes_no",
                "Har organisationen målt trivslen i år?",
                "Did the organisation measure wellbeing this year?",
                True,
                "",
                "Fx en trivselsmåling eller en APV.",
                "E.g. a wellbeing survey or a workplace assessment.",
            ),
            (
                "trivsel_svarprocent",
                "percent",
                "Hvor stor en del af de ansatte svarede på målingen?",
                "What share of the employees answered the survey?",
                False,
                "",
                "I procent, mellem 0 og 100.",
                "As a percentage, between 0 and 100.",
            ),
        ),
    ),
    (
        "Adgang",
        "Access",
        (
            (
                "trinfri_adgang",
                "choice",
                "Er der trinfri adgang for publikum?",
                "Is there step-free access for the audience?",
                True,
                STEP_FREE_OPTIONS,
                "",
                "",
            ),
            (
                "adgangstiltag",
                "choices",
                "Hvilke andre tiltag for adgang har I for publikum og optrædende?",
                "Which other access measures do you have for audiences and performers?",
                False,
                ACCESS_OPTIONS,
                "Vælg alle, der passer.",
                "Choose all that apply.",
            ),
            (
                "ansatte_i_alt",
                "integer",
                "Hvor mange ansatte har organisationen (personer, ikke årsværk)?",
                "How many employees does the organisation have (people, not full-time "
                "equivalents)?",
                True,
                "",
                "",
                "",
            ),
        ),
    ),
    (
        "Initiativer",
        "Initiatives",
        (
            (
                "initiativer",
                "long_text",
                "Hvilke initiativer for lige adgang og trivsel har I taget i år?",
                "Which initiatives for equal access and wellbeing did you take this year?",
                False,
                "",
                "Skriv kort; del ikke helbredsoplysninger eller andre følsomme oplysninger om "
                "enkeltpersoner.",
                "Keep it short; do not share health details or other sensitive information about "
                "individuals.",
            ),
            (
                "kontakt",
                "short_text",
                "Hvem kan vi kontakte om svarene?",
                "Whom can we contact about the answers?",
                False,
                "",
                "Navn og e-mail.",
                "Name and e-mail.",
            ),
        ),
    ),
)
