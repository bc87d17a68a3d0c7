"""Taxonomies and terms of conventions §5 (codes are hierarchical by prefix at '.')."""

TAXONOMIES = [
    dict(id="passerelle-needs", name="passerelle-needs",
         description="Needs addressed by a service (what a resident is looking for)."),
    dict(id="passerelle-populations", name="passerelle-populations",
         description="Populations a service is designed for or restricted to."),
    dict(id="passerelle-delivery", name="passerelle-delivery",
         description="How a service is delivered (in person, phone, virtual, home, mobile)."),
]

# (code, English name, French name)
NEEDS = [
    ("food", "Food", "Alimentation"),
    ("food.bank", "Food banks", "Banques alimentaires"),
    ("food.meals", "Hot meals", "Repas chauds"),
    ("food.delivery", "Home-delivered meals and groceries", "Livraison de repas et d'épicerie"),
    ("housing", "Housing", "Logement"),
    ("housing.rent", "Rent and arrears assistance", "Aide au loyer et aux arriérés"),
    ("housing.utilities", "Utility bill assistance", "Aide pour les factures d'énergie"),
    ("housing.help", "Housing help", "Aide au logement"),
    ("housing.shelter", "Emergency shelter", "Hébergement d'urgence"),
    ("income", "Income support", "Soutien du revenu"),
    ("income.benefits", "Benefits and income support", "Prestations et soutien du revenu"),
    ("income.tax", "Free tax clinics", "Comptoirs d'impôts gratuits"),
    ("health", "Health", "Santé"),
    ("health.mental", "Mental health", "Santé mentale"),
    ("health.mental.crisis", "Crisis and distress lines", "Lignes de crise et de détresse"),
    ("health.mental.counselling", "Counselling", "Counseling"),
    ("health.clinic", "Community health clinics", "Centres de santé communautaires"),
    ("health.homecare", "Home and community care", "Soins à domicile et en milieu communautaire"),
    ("seniors", "Seniors", "Aînés"),
    ("seniors.centre", "Seniors' centres", "Centres pour aînés"),
    ("transport", "Transportation", "Transport"),
    ("transport.accessible", "Accessible and seniors' transportation", "Transport adapté"),
    ("employment", "Employment", "Emploi"),
    ("employment.jobsearch", "Job search", "Recherche d'emploi"),
    ("employment.resume", "Résumé and interview help", "Aide au CV et aux entrevues"),
    ("employment.skills", "Skills assessment and training", "Évaluation des compétences et formation"),
    ("legal", "Legal help", "Aide juridique"),
    ("legal.aid", "Legal aid and advice", "Aide et conseils juridiques"),
    ("legal.consumer", "Fraud reporting and consumer protection", "Fraude et protection du consommateur"),
    ("legal.reentry", "Reintegration after incarceration", "Réinsertion après l'incarcération"),
    ("community", "Community support", "Soutien communautaire"),
    ("community.cultural", "Culturally specific services", "Services culturellement adaptés"),
    ("community.antiracism", "Anti-racism support", "Soutien contre le racisme"),
    ("community.newcomers", "Newcomer settlement", "Établissement des nouveaux arrivants"),
    ("safety", "Safety", "Sécurité"),
    ("safety.violence", "Violence and abuse support", "Soutien en cas de violence"),
]

# Values of the `population` fact (conventions §4) -> population.<value>
POPULATIONS = [
    ("population.indigenous", "Indigenous peoples", "Peuples autochtones"),
    ("population.black", "Black communities", "Communautés noires"),
    ("population.racialized", "Racialized people", "Personnes racisées"),
    ("population.south_asian", "South Asian communities", "Communautés sud-asiatiques"),
    ("population.newcomer", "Newcomers", "Nouveaux arrivants"),
    ("population.lgbtq2s", "2SLGBTQ+ people", "Personnes 2ELGBTQ+"),
    ("population.francophone", "Francophones", "Francophones"),
    ("population.veteran", "Veterans", "Vétérans"),
    ("population.reentry", "People leaving incarceration", "Personnes sortant d'incarcération"),
    ("population.senior", "Seniors", "Aînés"),
    ("population.youth", "Youth", "Jeunes"),
]

DELIVERY = [
    ("delivery.in_person", "In person", "En personne"),
    ("delivery.phone", "By phone", "Par téléphone"),
    ("delivery.virtual", "Online / virtual", "En ligne / virtuel"),
    ("delivery.home", "Home visit or delivery", "Visite ou livraison à domicile"),
    ("delivery.mobile", "Mobile outreach", "Intervention mobile"),
]


def taxonomy_of(code):
    if code.startswith("population."):
        return "passerelle-populations"
    if code.startswith("delivery."):
        return "passerelle-delivery"
    return "passerelle-needs"


TERMS = NEEDS + POPULATIONS + DELIVERY
