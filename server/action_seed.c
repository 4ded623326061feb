/* The actions catalogue every node starts with (see action_seed.h).
 *
 * co2e_g and waste_g are the grams avoided by ONE occurrence (one day, one ISO week or
 * once per season, by frequency), compared with the usual alternative named in why_*.
 * Factors come from the Nos Gestes Climat model 4.10.2 (ADEME, npm
 * @incubateur-ademe/nosgestesclimat) wherever it has one; otherwise from ADEME or other
 * public figures, marked "estimation" in source. Every derivation, and the points rule
 * (points = F x (E + I)), is in docs/challenge.md. Data only. */
#include "action_seed.h"

#include <stddef.h>

const struct action_seed action_seed[] = {
    {
	.id = "velo-domicile-travail",
	.category = ACTION_TRANSPORT,
	.frequency = ACTION_DAILY,
	.title_fr = "Aller au travail à vélo ou à pied",
	.title_en = "Cycle or walk to work",
	.why_fr = "La voiture est souvent le premier poste d’émissions d’un ménage. Faire à "
		  "vélo ou à pied un trajet domicile-travail de 5 km (10 km aller-retour) "
		  "plutôt qu’en voiture évite environ 1,7 kg de CO₂e par jour, soit près de "
		  "400 kg sur une année de travail. Le vélo n’émet presque rien à l’usage, "
		  "et l’exercice est compris dans le trajet.",
	.why_en = "The car is often a household’s largest source of emissions. Cycling or "
		  "walking a 5 km commute (10 km there and back) instead of driving avoids "
		  "about 1.7 kg CO₂e a day, close to 400 kg over a working year. A bike "
		  "emits almost nothing in use, and the exercise comes free with the "
		  "journey.",
	.how_fr = "Repérez un itinéraire calme : les berges de Seine et les rues apaisées "
		  "évitent souvent les grands axes. Pas de vélo ? Vélib’ a des stations à "
		  "Issy, et Île-de-France Mobilités loue des vélos électriques pour "
		  "plusieurs mois (Véligo Location). Cochez l’action les jours où vous "
		  "auriez sinon pris la voiture ; si vous preniez déjà le métro, le gain "
		  "est bien plus faible.",
	.how_en = "Find a quiet route: the Seine riverside and traffic-calmed streets often "
		  "avoid the main roads. No bike? Vélib’ has stations in Issy, and "
		  "Île-de-France Mobilités rents electric bikes for several months (Véligo "
		  "Location). Check in on the days you would otherwise have driven; if you "
		  "already took the metro, the saving is much smaller.",
	.co2e_g = 1697,
	.waste_g = 0,
	.points = 8,
	.source = "Nos Gestes Climat 4.10.2: transport . voiture . usage au kilomètre "
		  "0.2208 + construction au kilomètre 0.0507 = 0.2715 kgCO2e/km, ÷ "
		  "voyageurs . nombre moyen 1.6 = 0.1697/km. Vélo, marche ≈ 0. 10 km × "
		  "0.1697 = 1.697 kg.",
    },
    {
	.id = "transports-en-commun",
	.category = ACTION_TRANSPORT,
	.frequency = ACTION_DAILY,
	.title_fr = "Prendre le tram, le métro ou le RER plutôt que la voiture",
	.title_en = "Take the tram, metro or RER instead of the car",
	.why_fr = "Par voyageur et par kilomètre, métro, tram et RER émettent plus de vingt "
		  "fois moins qu’une voiture : environ 7 g de CO₂e contre 170 g selon Nos "
		  "Gestes Climat. Sur un trajet de 10 km aller-retour, vous évitez environ "
		  "1,6 kg de CO₂e par jour.",
	.why_en = "Per passenger and kilometre, the metro, tram and RER emit over twenty "
		  "times less than a car: about 7 g CO₂e against 170 g according to Nos "
		  "Gestes Climat. On a 10 km round trip you avoid about 1.6 kg CO₂e a day.",
	.how_fr = "Issy est bien desservie : métro 12 (Mairie d’Issy, Corentin Celton), "
		  "tram T2, RER C (Issy, Issy–Val de Seine) et de nombreux bus. Préparez "
		  "vos trajets avec l’application Île-de-France Mobilités. Cochez l’action "
		  "les jours où vous auriez sinon pris la voiture.",
	.how_en = "Issy is well served: metro line 12 (Mairie d’Issy, Corentin Celton), "
		  "tram T2, RER C (Issy, Issy–Val de Seine) and many buses. Plan your trips "
		  "with the Île-de-France Mobilités app. Check in on the days you would "
		  "otherwise have driven.",
	.co2e_g = 1623,
	.waste_g = 0,
	.points = 6,
	.source = "Nos Gestes Climat 4.10.2: voiture 0.2715 kgCO2e/km ÷ 1.6 occupants = "
		  "0.1697; transports commun . métro ou tram . impact par km = 0.0074 "
		  "(moyenne métro 0.00503 et RER 0.00978). 10 km × (0.1697 − 0.0074) = "
		  "1.623 kg.",
    },
    {
	.id = "covoiturage",
	.category = ACTION_TRANSPORT,
	.frequency = ACTION_DAILY,
	.title_fr = "Covoiturer au lieu de rouler seul",
	.title_en = "Car-share instead of driving alone",
	.why_fr = "À deux dans la voiture, chacun divise par deux les émissions de son "
		  "trajet. Pour 10 km aller-retour, partager la voiture plutôt que rouler "
		  "seul évite environ 1,4 kg de CO₂e par jour, une voiture moyenne émettant "
		  "0,27 kg par kilomètre, fabrication comprise.",
	.why_en = "With two people in the car, each halves the emissions of the trip. For a "
		  "10 km round trip, sharing the car instead of driving alone avoids about "
		  "1.4 kg CO₂e a day, since an average car emits 0.27 kg per kilometre, "
		  "manufacturing included.",
	.how_fr = "Proposez le trajet à un collègue ou à un voisin, ou passez par une "
		  "application de covoiturage du quotidien. Convenez d’horaires réalistes "
		  "et d’un point de rendez-vous simple. Cochez l’action les jours où vous "
		  "avez partagé la voiture au lieu de rouler seul.",
	.how_en = "Offer the ride to a colleague or neighbour, or use a daily car-sharing "
		  "app. Agree on realistic times and a simple meeting point. Check in on "
		  "the days you shared the car instead of driving alone.",
	.co2e_g = 1358,
	.waste_g = 0,
	.points = 6,
	.source = "Nos Gestes Climat 4.10.2: voiture 0.2715 kgCO2e/km (usage + "
		  "construction); règle transport . voiture . boulot . faire du covoiturage "
		  "= empreinte × (1 − 1/voyageurs). 10 km × 0.2715 × (1 − 1/2) = 1.358 kg.",
    },
    {
	.id = "ecole-sans-voiture",
	.category = ACTION_TRANSPORT,
	.frequency = ACTION_DAILY,
	.title_fr = "Accompagner les enfants à l’école à pied ou à vélo",
	.title_en = "Walk or cycle the children to school",
	.why_fr = "Les trajets courts sont ceux que l’on remplace le plus facilement, et la "
		  "voiture y consomme davantage, moteur froid. Un aller-retour de 2 km à "
		  "pied, à vélo ou en trottinette plutôt qu’en voiture évite environ 340 g "
		  "de CO₂e, près de 50 kg sur une année scolaire.",
	.why_en = "Short trips are the easiest to replace, and a car burns more on them "
		  "with a cold engine. A 2 km round trip on foot, by bike or by scooter "
		  "instead of by car avoids about 340 g CO₂e, close to 50 kg over a school "
		  "year.",
	.how_fr = "Partez cinq minutes plus tôt et faites-en un moment partagé. Organisez "
		  "un pédibus ou un vélobus avec d’autres parents pour vous relayer. Cochez "
		  "l’action les jours où vous auriez sinon pris la voiture.",
	.how_en = "Leave five minutes earlier and make it time together. Set up a walking "
		  "or cycling bus with other parents so you can take turns. Check in on the "
		  "days you would otherwise have driven.",
	.co2e_g = 339,
	.waste_g = 0,
	.points = 4,
	.source = "Nos Gestes Climat 4.10.2: voiture 0.2715 kgCO2e/km ÷ voyageurs . nombre "
		  "moyen 1.6 = 0.1697/km. Hypothèse: 2 km aller-retour. 2 × 0.1697 = 0.339 "
		  "kg.",
    },
    {
	.id = "courses-sans-voiture",
	.category = ACTION_TRANSPORT,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Faire ses courses sans voiture",
	.title_en = "Shop without the car",
	.why_fr = "Un aller-retour de 5 km pour les courses, fait à pied, à vélo ou avec un "
		  "chariot plutôt qu’en voiture, évite environ 850 g de CO₂e. C’est le "
		  "trajet court type retenu par Nos Gestes Climat (2,5 km aller) : près de "
		  "45 kg par an si vous le faites chaque semaine.",
	.why_en = "A 5 km round trip to the shops on foot, by bike or with a trolley "
		  "instead of by car avoids about 850 g CO₂e. This is the typical short "
		  "trip used by Nos Gestes Climat (2.5 km each way): close to 45 kg a year "
		  "if you do it every week.",
	.how_fr = "Privilégiez les commerces et les marchés proches, avec un chariot, un "
		  "sac à dos ou des sacoches de vélo. Regroupez les gros achats en une "
		  "seule livraison. Cochez l’action la semaine où vos courses se sont "
		  "faites sans voiture.",
	.how_en = "Favour nearby shops and markets, with a trolley, a backpack or bike "
		  "panniers. Group bulky purchases into a single delivery. Check in the "
		  "week your shopping was done without the car.",
	.co2e_g = 849,
	.waste_g = 0,
	.points = 10,
	.source = "Nos Gestes Climat 4.10.2: transport . distance moyenne trajet court = "
		  "2.5 km (5 km aller-retour); voiture 0.2715 kgCO2e/km ÷ 1.6 occupants = "
		  "0.1697. 5 × 0.1697 = 0.849 kg.",
    },
    {
	.id = "sortie-sans-voiture",
	.category = ACTION_TRANSPORT,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Une sortie du week-end sans voiture",
	.title_en = "A car-free weekend outing",
	.why_fr = "Les loisirs comptent pour une bonne part des kilomètres parcourus en "
		  "voiture. Une sortie de 20 km aller-retour (forêt, parc, visite) faite en "
		  "transports en commun, à vélo ou à pied plutôt qu’en voiture évite "
		  "environ 3,2 kg de CO₂e.",
	.why_en = "Leisure accounts for a good share of the kilometres driven. A 20 km "
		  "round-trip outing (forest, park, visit) by public transport, bike or on "
		  "foot instead of by car avoids about 3.2 kg CO₂e.",
	.how_fr = "La forêt de Meudon est à quelques coups de pédale, le parc de "
		  "Saint-Cloud et La Défense sont sur la ligne du tram T2, et le RER C mène "
		  "vers Paris ou Versailles. Préparez l’itinéraire à l’avance et cochez "
		  "l’action la semaine où votre sortie s’est faite sans voiture.",
	.how_en = "The Meudon forest is a short ride away, the Parc de Saint-Cloud and La "
		  "Défense are on tram line T2, and the RER C runs to Paris or Versailles. "
		  "Plan the route ahead and check in the week your outing was car-free.",
	.co2e_g = 3246,
	.waste_g = 0,
	.points = 15,
	.source = "Nos Gestes Climat 4.10.2: voiture 0.2715 kgCO2e/km ÷ 1.6 occupants = "
		  "0.1697; métro ou tram . impact par km = 0.0074. Hypothèse: 20 km "
		  "aller-retour en transports (cas prudent). 20 × (0.1697 − 0.0074) = 3.246 "
		  "kg.",
    },
    {
	.id = "eco-conduite",
	.category = ACTION_TRANSPORT,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Adopter l’éco-conduite",
	.title_en = "Drive economically",
	.why_fr = "Conduire en souplesse et en anticipant réduit la consommation d’environ "
		  "15 % selon Nos Gestes Climat. Pour 100 km de voiture dans la semaine, "
		  "cela évite environ 2,1 kg de CO₂e par personne (1,6 occupant en "
		  "moyenne).",
	.why_en = "Driving smoothly and anticipating cuts fuel use by about 15% according "
		  "to Nos Gestes Climat. For 100 km of driving in a week, that avoids about "
		  "2.1 kg CO₂e per person (1.6 occupants on average).",
	.how_fr = "Passez tôt la vitesse supérieure, anticipez pour limiter les freinages, "
		  "coupez le moteur lors des arrêts prolongés et vérifiez la pression des "
		  "pneus chaque mois. Sur autoroute, rouler à 110 au lieu de 130 km/h "
		  "réduit la consommation d’environ un quart. Cochez l’action la semaine où "
		  "vous avez conduit ainsi.",
	.how_en = "Change up early, anticipate to brake less, switch off the engine during "
		  "long stops and check tyre pressure monthly. On motorways, driving at 110 "
		  "instead of 130 km/h cuts consumption by about a quarter. Check in the "
		  "week you drove this way.",
	.co2e_g = 2070,
	.waste_g = 0,
	.points = 10,
	.source = "Nos Gestes Climat 4.10.2: transport . voiture . éco-conduite . réduction "
		  "= 15 %; usage au kilomètre = 0.2208 kgCO2e/km; ÷ 1.6 occupants. "
		  "Hypothèse: 100 km par semaine. 100 × 0.2208 × 0.15 ÷ 1.6 = 2.070 kg.",
    },
    {
	.id = "essai-velo-electrique",
	.category = ACTION_TRANSPORT,
	.frequency = ACTION_ONCE,
	.title_fr = "Essayer le vélo à assistance électrique",
	.title_en = "Try an electric-assist bike",
	.why_fr = "Le vélo électrique rend faciles les trajets de 5 à 15 km et les côtes, "
		  "et remplace souvent la voiture. À l’usage, il émet environ 2 g de CO₂e "
		  "par kilomètre (Nos Gestes Climat), plus de 70 fois moins qu’une voiture. "
		  "Cet essai ne compte pas d’économie en lui-même : ce sont vos trajets qui "
		  "la feront.",
	.why_en = "An electric bike makes 5 to 15 km trips and hills easy, and often "
		  "replaces the car. In use it emits about 2 g CO₂e per kilometre (Nos "
		  "Gestes Climat), over 70 times less than a car. The trial itself counts "
		  "no saving: your trips will.",
	.how_fr = "Île-de-France Mobilités loue des vélos électriques sur plusieurs mois "
		  "avec Véligo Location : de quoi tester vos vrais trajets avant d’acheter. "
		  "Les Vélib’ électriques permettent aussi un premier essai. Essayez au "
		  "moins une semaine, puis cochez les trajets remplacés avec l’action « "
		  "Aller au travail à vélo ou à pied ».",
	.how_en = "Île-de-France Mobilités rents electric bikes for several months through "
		  "Véligo Location, enough to test your real trips before buying. Electric "
		  "Vélib’ bikes also allow a first try. Try it for at least a week, then "
		  "check in the trips it replaced with “Cycle or walk to work”.",
	.co2e_g = 0,
	.waste_g = 0,
	.points = 20,
	.source = "Aucune économie comptée (essai). Repère, Nos Gestes Climat 4.10.2: "
		  "transport . mobilité douce . vae . empreinte = 0.00223 kgCO2e/km, contre "
		  "0.1697 pour la voiture (0.2715 ÷ 1.6).",
    },
    {
	.id = "repas-vegetarien",
	.category = ACTION_ALIMENTATION,
	.frequency = ACTION_DAILY,
	.title_fr = "Un repas végétarien au lieu d’un repas avec viande",
	.title_en = "A vegetarian meal instead of a meat meal",
	.why_fr = "La viande pèse lourd dans l’empreinte de l’alimentation. Selon Nos "
		  "Gestes Climat, un repas végétarien émet 0,85 kg de CO₂e contre 1,65 kg "
		  "pour un repas avec du poulet ou du porc : vous évitez 0,8 kg par repas. "
		  "Si le repas remplacé contenait du bœuf, le gain atteint 4,2 kg (voir « "
		  "Remplacer un plat de bœuf »).",
	.why_en = "Meat weighs heavily in the footprint of food. According to Nos Gestes "
		  "Climat, a vegetarian meal emits 0.85 kg CO₂e against 1.65 kg for a meal "
		  "with chicken or pork: you avoid 0.8 kg per meal. If the meal replaced "
		  "contained beef, the saving reaches 4.2 kg (see “Replace a beef dish”).",
	.how_fr = "Misez sur les légumineuses (lentilles, pois chiches, haricots), les "
		  "œufs, les céréales complètes et les légumes de saison. Quelques "
		  "classiques faciles : dahl de lentilles, chili sin carne, gratin de "
		  "légumes, omelette aux herbes. Cochez l’action une fois par jour, pour un "
		  "repas principal végétarien.",
	.how_en = "Build on pulses (lentils, chickpeas, beans), eggs, whole grains and "
		  "seasonal vegetables. A few easy classics: lentil dahl, chili sin carne, "
		  "vegetable gratin, herb omelette. Check in once a day, for a vegetarian "
		  "main meal.",
	.co2e_g = 800,
	.waste_g = 0,
	.points = 4,
	.source = "Nos Gestes Climat 4.10.2: alimentation . plats . viande blanche . "
		  "empreinte carbone = 1.65 kgCO2e/repas; végétarien . empreinte carbone = "
		  "0.85. 1.65 − 0.85 = 0.80 kg.",
    },
    {
	.id = "repas-vegetalien",
	.category = ACTION_ALIMENTATION,
	.frequency = ACTION_DAILY,
	.title_fr = "Un repas 100 % végétal",
	.title_en = "A fully plant-based meal",
	.why_fr = "Sans œufs ni fromage, un repas végétal descend à 0,54 kg de CO₂e contre "
		  "0,85 kg pour un repas végétarien (Nos Gestes Climat), soit 0,31 kg de "
		  "moins. Les produits laitiers, le fromage surtout, ont une empreinte "
		  "élevée. Avec l’action « repas végétarien », un repas végétal au lieu "
		  "d’un repas avec viande blanche évite 1,1 kg.",
	.why_en = "Without eggs or cheese, a plant-based meal drops to 0.54 kg CO₂e against "
		  "0.85 kg for a vegetarian meal (Nos Gestes Climat), 0.31 kg less. Dairy, "
		  "cheese above all, has a high footprint. Together with “A vegetarian "
		  "meal”, a plant-based meal instead of a white-meat meal avoids 1.1 kg.",
	.how_fr = "Remplacez le fromage par des légumineuses, des oléagineux ou du tofu, et "
		  "cuisinez avec une boisson végétale. Pensez au houmous, aux currys de "
		  "légumes ou aux salades de céréales. Cochez cette action en plus de « "
		  "repas végétarien » quand le repas ne contenait aucun produit animal.",
	.how_en = "Replace cheese with pulses, nuts or tofu, and cook with a plant-based "
		  "drink. Think hummus, vegetable curries or grain salads. Check in this "
		  "action on top of “A vegetarian meal” when the meal had no animal product "
		  "at all.",
	.co2e_g = 310,
	.waste_g = 0,
	.points = 4,
	.source = "Nos Gestes Climat 4.10.2: alimentation . plats . végétarien . empreinte "
		  "carbone = 0.85 kgCO2e/repas; végétalien . empreinte carbone = 0.54. 0.85 "
		  "− 0.54 = 0.31 kg.",
    },
    {
	.id = "the-plutot-que-cafe",
	.category = ACTION_ALIMENTATION,
	.frequency = ACTION_DAILY,
	.title_fr = "Remplacer un café par un thé",
	.title_en = "Swap a coffee for a tea",
	.why_fr = "Le café a une empreinte élevée pour une boisson : environ 100 g de CO₂e "
		  "par tasse, contre moins de 10 g pour une tasse de thé (Nos Gestes "
		  "Climat). Remplacer un café par jour évite environ 35 kg de CO₂e par an.",
	.why_en = "Coffee has a high footprint for a drink: about 100 g CO₂e per cup, "
		  "against under 10 g for a cup of tea (Nos Gestes Climat). Swapping one "
		  "coffee a day avoids about 35 kg CO₂e a year.",
	.how_fr = "Commencez par le café de l’après-midi, le plus facile à remplacer. Si "
		  "vous gardez votre café, évitez d’y ajouter du lait, qui alourdit aussi "
		  "le bilan. Cochez l’action les jours où vous avez bu un café de moins au "
		  "profit d’un thé.",
	.how_en = "Start with the afternoon coffee, the easiest one to replace. If you keep "
		  "your coffee, skip the milk, which also adds to the footprint. Check in "
		  "on the days you drank one coffee less and a tea instead.",
	.co2e_g = 94,
	.waste_g = 0,
	.points = 2,
	.source = "Nos Gestes Climat 4.10.2: alimentation . boisson . tasse de café = 8.4 "
		  "kgCO2e/kg × 0.012 kg = 0.1008 kgCO2e; tasse de thé = 0.0066. 0.1008 − "
		  "0.0066 = 0.094 kg.",
    },
    {
	.id = "moins-viande-rouge",
	.category = ACTION_ALIMENTATION,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Remplacer un plat de bœuf par de la volaille ou un plat végétarien",
	.title_en = "Replace a beef dish with poultry or a vegetarian dish",
	.why_fr = "Le bœuf et l’agneau sont les aliments les plus émetteurs : un repas avec "
		  "viande rouge pèse 5,01 kg de CO₂e, trois fois un repas avec du poulet ou "
		  "du porc (1,65 kg), selon Nos Gestes Climat. Le remplacer par de la "
		  "volaille évite 3,4 kg. Par un plat végétarien, cochez aussi « repas "
		  "végétarien » : les gains s’additionnent (3,36 + 0,80 = 4,16 kg).",
	.why_en = "Beef and lamb are the most emitting foods: a red-meat meal weighs 5.01 "
		  "kg CO₂e, three times a meal with chicken or pork (1.65 kg), according to "
		  "Nos Gestes Climat. Replacing it with poultry avoids 3.4 kg. With a "
		  "vegetarian dish, also check in “A vegetarian meal”: the savings add up "
		  "(3.36 + 0.80 = 4.16 kg).",
	.how_fr = "Choisissez le plat de viande rouge de la semaine le plus facile à "
		  "remplacer : bolognaise aux lentilles, burger de volaille ou de légumes, "
		  "chili aux haricots. Au restaurant, regardez d’abord les plats "
		  "végétariens ou de volaille. Cochez l’action une fois par semaine.",
	.how_en = "Pick the week’s easiest red-meat dish to replace: lentil bolognese, "
		  "chicken or veggie burger, bean chili. At restaurants, look at the "
		  "vegetarian or poultry dishes first. Check in once a week.",
	.co2e_g = 3360,
	.waste_g = 0,
	.points = 15,
	.source = "Nos Gestes Climat 4.10.2: alimentation . plats . viande rouge . "
		  "empreinte carbone = 5.01 kgCO2e/repas; viande blanche . empreinte "
		  "carbone = 1.65. 5.01 − 1.65 = 3.36 kg.",
    },
    {
	.id = "fruits-legumes-saison",
	.category = ACTION_ALIMENTATION,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Manger des fruits et légumes de saison",
	.title_en = "Eat seasonal fruit and vegetables",
	.why_fr = "Hors saison, fruits et légumes sont souvent cultivés sous serre chauffée "
		  "ou importés de loin, ce qui alourdit leur empreinte. Nos Gestes Climat "
		  "estime qu’une alimentation entièrement de saison réduit l’empreinte des "
		  "repas d’environ 52 kg de CO₂e par an, soit 1 kg par semaine.",
	.why_en = "Out of season, fruit and vegetables are often grown in heated "
		  "greenhouses or shipped from far away, which raises their footprint. Nos "
		  "Gestes Climat estimates that an entirely seasonal diet cuts the "
		  "footprint of meals by about 52 kg CO₂e a year, 1 kg a week.",
	.how_fr = "Gardez un calendrier des saisons dans la cuisine (l’ADEME en publie un) "
		  "et faites vos courses au marché ou en AMAP. En hiver, pensez aux choux, "
		  "poireaux, courges, pommes et agrumes plutôt qu’aux tomates et aux "
		  "fraises. Cochez l’action la semaine où vos fruits et légumes étaient "
		  "tous de saison.",
	.how_en = "Keep a seasonal calendar in the kitchen (ADEME publishes one) and shop "
		  "at the market or through a community-supported farm scheme (AMAP). In "
		  "winter, go for cabbage, leeks, squash, apples and citrus rather than "
		  "tomatoes and strawberries. Check in the week all your fruit and "
		  "vegetables were in season.",
	.co2e_g = 1002,
	.waste_g = 0,
	.points = 15,
	.source = "Nos Gestes Climat 4.10.2: action alimentation . bonus . manger de saison "
		  "= 52.11 kgCO2e/an (régime par défaut, de saison « toujours »), ÷ 52 "
		  "semaines = 1.002 kg.",
    },
    {
	.id = "produits-locaux",
	.category = ACTION_ALIMENTATION,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Acheter des produits frais locaux",
	.title_en = "Buy local fresh produce",
	.why_fr = "Les produits locaux, surtout végétaux, évitent une partie du transport "
		  "et du stockage. Nos Gestes Climat estime qu’une alimentation "
		  "essentiellement locale réduit l’empreinte des repas d’environ 53 kg de "
		  "CO₂e par an, soit 1 kg par semaine. Ce gain reste bien plus faible que "
		  "celui de manger moins de viande : local et de saison vont de pair.",
	.why_en = "Local produce, especially plant-based, avoids part of the transport and "
		  "storage. Nos Gestes Climat estimates that a mostly local diet cuts the "
		  "footprint of meals by about 53 kg CO₂e a year, 1 kg a week. That is far "
		  "less than eating less meat: local and seasonal go together.",
	.how_fr = "Cherchez les producteurs d’Île-de-France au marché, les paniers de "
		  "producteurs, les AMAP ou les rayons de produits régionaux. Vérifiez "
		  "l’origine sur les étiquettes des fruits, légumes, œufs et produits "
		  "laitiers. Cochez l’action la semaine où l’essentiel de vos produits "
		  "frais était local.",
	.how_en = "Look for Île-de-France growers at the market, producer box schemes, "
		  "AMAPs or regional produce shelves. Check the origin on the labels of "
		  "fruit, vegetables, eggs and dairy. Check in the week most of your fresh "
		  "produce was local.",
	.co2e_g = 1013,
	.waste_g = 0,
	.points = 15,
	.source = "Nos Gestes Climat 4.10.2: action alimentation . bonus . manger local = "
		  "52.65 kgCO2e/an (régime par défaut, local « toujours »), ÷ 52 semaines = "
		  "1.013 kg.",
    },
    {
	.id = "eau-du-robinet",
	.category = ACTION_ALIMENTATION,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Boire l’eau du robinet plutôt qu’en bouteille",
	.title_en = "Drink tap water instead of bottled water",
	.why_fr = "L’eau en bouteille émet environ 0,32 kg de CO₂e par litre (Nos Gestes "
		  "Climat), surtout à cause de la bouteille et du transport. Pour une "
		  "consommation moyenne de 135 litres par an, passer au robinet évite "
		  "environ 0,8 kg de CO₂e et une cinquantaine de grammes de plastique par "
		  "semaine.",
	.why_en = "Bottled water emits about 0.32 kg CO₂e per litre (Nos Gestes Climat), "
		  "mostly because of the bottle and transport. For an average 135 litres a "
		  "year, switching to tap water avoids about 0.8 kg CO₂e and some fifty "
		  "grams of plastic a week.",
	.how_fr = "L’eau du robinet est l’aliment le plus contrôlé en France. Si le goût du "
		  "chlore vous gêne, laissez une carafe ouverte quelques heures au "
		  "réfrigérateur ; pour l’eau pétillante, une machine à gazéifier évite "
		  "aussi les bouteilles. Cochez l’action la semaine où vous n’avez pas "
		  "acheté d’eau en bouteille.",
	.how_en = "Tap water is the most closely monitored food in France. If the taste of "
		  "chlorine bothers you, leave an open jug in the fridge for a few hours; "
		  "for sparkling water, a home carbonator also avoids bottles. Check in the "
		  "week you bought no bottled water.",
	.co2e_g = 831,
	.waste_g = 52,
	.points = 5,
	.source = "Nos Gestes Climat 4.10.2: alimentation . boisson . eau en bouteille . "
		  "empreinte carbone = 0.32 kgCO2e/l; consommation moyenne = 135 l/an, soit "
		  "2.6 l/semaine → 0.831 kg. Déchet: estimation 30 g par bouteille PET de "
		  "1.5 l → 52 g.",
    },
    {
	.id = "douche-courte",
	.category = ACTION_LOGEMENT,
	.frequency = ACTION_DAILY,
	.title_fr = "Prendre une douche de 5 minutes",
	.title_en = "Take a five-minute shower",
	.why_fr = "Après le chauffage, chauffer l’eau est le deuxième poste d’énergie du "
		  "logement. Une douche courte utilise environ 36 litres au lieu de 72 (Nos "
		  "Gestes Climat) : avec une eau chauffée au gaz, vous évitez environ 260 g "
		  "de CO₂e par douche, près de 95 kg par an. Avec un chauffe-eau "
		  "électrique, le gain en CO₂e est environ quatre fois plus faible, mais la "
		  "facture baisse autant.",
	.why_en = "After heating, hot water is the second largest use of energy at home. A "
		  "short shower uses about 36 litres instead of 72 (Nos Gestes Climat): "
		  "with gas-heated water you avoid about 260 g CO₂e per shower, close to 95 "
		  "kg a year. With an electric water heater the CO₂e saving is about four "
		  "times smaller, but the bill drops just as much.",
	.how_fr = "Lancez un minuteur ou une chanson de 5 minutes, coupez l’eau pendant le "
		  "savonnage et installez un pommeau économe, qui réduit le débit sans "
		  "nuire au confort. Cochez l’action les jours où votre douche a duré 5 "
		  "minutes ou moins.",
	.how_en = "Start a timer or a five-minute song, turn the water off while soaping "
		  "and fit a low-flow shower head, which cuts the flow without spoiling "
		  "comfort. Check in on the days your shower lasted five minutes or less.",
	.co2e_g = 260,
	.waste_g = 0,
	.points = 4,
	.source = "Nos Gestes Climat 4.10.2: douche 72 l, douche express 36 l; chauffage . "
		  "gaz . intensité carbone = 0.215 kgCO2e/kWh. Estimation: 36 l × 1.163 "
		  "Wh/(l·K) × 26 K ÷ rendement 0.9 = 1.21 kWh → 0.260 kg.",
    },
    {
	.id = "douche-plutot-que-bain",
	.category = ACTION_LOGEMENT,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Prendre une douche plutôt qu’un bain",
	.title_en = "Shower instead of taking a bath",
	.why_fr = "Un bain demande environ 150 litres d’eau, une douche 72 (Nos Gestes "
		  "Climat). Chauffer ces 78 litres de plus au gaz émet environ 560 g de "
		  "CO₂e. Si votre douche est en plus courte, cochez aussi « douche de 5 "
		  "minutes » : les gains s’additionnent.",
	.why_en = "A bath takes about 150 litres of water, a shower 72 (Nos Gestes Climat). "
		  "Heating those extra 78 litres with gas emits about 560 g CO₂e. If your "
		  "shower is also short, check in “Take a five-minute shower” too: the "
		  "savings add up.",
	.how_fr = "Gardez le bain pour les grandes occasions et remplacez le bain habituel "
		  "de la semaine par une douche. Pour les enfants, un bain partagé ou peu "
		  "rempli réduit aussi l’eau chauffée. Cochez l’action la semaine où une "
		  "douche a remplacé votre bain.",
	.how_en = "Keep baths for special occasions and replace the week’s usual bath with "
		  "a shower. For children, a shared or shallow bath also reduces the water "
		  "heated. Check in the week a shower replaced your bath.",
	.co2e_g = 563,
	.waste_g = 0,
	.points = 5,
	.source = "Nos Gestes Climat 4.10.2: bain 150 l, douche 72 l; chauffage . gaz . "
		  "intensité carbone = 0.215 kgCO2e/kWh. Estimation: 78 l × 1.163 Wh/(l·K) "
		  "× 26 K ÷ rendement 0.9 = 2.62 kWh → 0.563 kg.",
    },
    {
	.id = "chauffage-19",
	.category = ACTION_LOGEMENT,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Chauffer à 19 °C au lieu de 20 °C",
	.title_en = "Heat to 19 °C instead of 20 °C",
	.why_fr = "Le chauffage est le premier poste d’énergie du logement, et chaque degré "
		  "en moins réduit sa consommation d’environ 7 % (ADEME). Dans un "
		  "appartement moyen de 65 m² (Nos Gestes Climat), 1 °C de moins évite "
		  "environ 0,8 kg de CO₂e par personne et par semaine de chauffe, plus de "
		  "20 kg sur l’hiver.",
	.why_en = "Heating is the largest use of energy at home, and each degree less cuts "
		  "it by about 7% (ADEME). In an average 65 m² flat (Nos Gestes Climat), 1 "
		  "°C less avoids about 0.8 kg CO₂e per person and heating week, over 20 kg "
		  "across the winter.",
	.how_fr = "Réglez le thermostat ou les robinets thermostatiques pour 19 °C dans les "
		  "pièces de vie et 17 °C dans les chambres, et enfilez un pull plutôt que "
		  "de monter le chauffage. Fermez volets et rideaux la nuit. Cochez "
		  "l’action chaque semaine de la saison de chauffe où votre logement est "
		  "resté à 19 °C au plus.",
	.how_en = "Set the thermostat or radiator valves to 19 °C in living rooms and 17 °C "
		  "in bedrooms, and put on a jumper rather than turning the heating up. "
		  "Close shutters and curtains at night. Check in each week of the heating "
		  "season your home stayed at 19 °C or below.",
	.co2e_g = 779,
	.waste_g = 0,
	.points = 10,
	.source = "ADEME: environ −7 % de chauffage par °C. Nos Gestes Climat 4.10.2: "
		  "chauffage air, appartement moyen 64.7 m² × 11.09 kgCO2e/m² ÷ 2.15 "
		  "habitants = 334 kg/an. 334 × 0.07 ÷ 30 semaines de chauffe = 0.779 kg.",
    },
    {
	.id = "chauffage-nuit-absence",
	.category = ACTION_LOGEMENT,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Baisser le chauffage la nuit et en votre absence",
	.title_en = "Turn the heating down at night and when you are out",
	.why_fr = "Inutile de chauffer à 19 °C un logement vide ou une chambre où l’on dort "
		  "sous la couette. Descendre à 16 °C la nuit et pendant vos absences "
		  "réduit la consommation de chauffage d’environ 12 % selon Nos Gestes "
		  "Climat, soit environ 1,3 kg de CO₂e par personne et par semaine de "
		  "chauffe dans un appartement moyen.",
	.why_en = "There is no point heating an empty home, or a bedroom where you sleep "
		  "under a duvet, to 19 °C. Dropping to 16 °C at night and while you are "
		  "out cuts heating use by about 12% according to Nos Gestes Climat, about "
		  "1.3 kg CO₂e per person and heating week in an average flat.",
	.how_fr = "Programmez le thermostat s’il existe ; sinon, baissez les robinets "
		  "thermostatiques en partant le matin et au coucher. Pour une absence de "
		  "plus de deux jours, passez en mode hors-gel. Cochez l’action chaque "
		  "semaine de chauffe où vous l’avez fait.",
	.how_en = "Program the thermostat if you have one; otherwise turn the radiator "
		  "valves down when you leave in the morning and at bedtime. For absences "
		  "over two days, switch to frost protection. Check in each heating week "
		  "you did it.",
	.co2e_g = 1335,
	.waste_g = 0,
	.points = 15,
	.source = "Nos Gestes Climat 4.10.2: logement . chauffage . installer thermostat = "
		  "empreinte chauffage air × 0.12 ÷ habitants = 40.06 kgCO2e/an "
		  "(appartement moyen, 64.7 m²). ÷ 30 semaines de chauffe = 1.335 kg.",
    },
    {
	.id = "sechage-air-libre",
	.category = ACTION_LOGEMENT,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Sécher le linge à l’air libre",
	.title_en = "Air-dry your laundry",
	.why_fr = "Le sèche-linge est l’un des appareils les plus gourmands : 1,6 kWh par "
		  "cycle en moyenne, et environ 3,5 cycles par semaine chez les ménages "
		  "équipés (ADEME). Une semaine sans sèche-linge évite environ 300 g de "
		  "CO₂e avec l’électricité française, peu carbonée, et environ 1,5 € de "
		  "facture.",
	.why_en = "The tumble dryer is one of the hungriest appliances: 1.6 kWh per cycle "
		  "on average and about 3.5 cycles a week in households that own one "
		  "(ADEME). A week without it avoids about 300 g CO₂e with France’s "
		  "low-carbon electricity, and about €1.50 on the bill.",
	.how_fr = "Un étendoir près d’une fenêtre entrouverte suffit, même en hiver, ou sur "
		  "le balcon si le règlement de copropriété le permet ; essorez à haute "
		  "vitesse pour sécher plus vite. Si vous gardez le sèche-linge, "
		  "remplissez-le bien et nettoyez le filtre à chaque cycle. Cochez l’action "
		  "la semaine où vous ne l’avez pas utilisé.",
	.how_en = "A drying rack near a slightly open window is enough, even in winter, or "
		  "on the balcony if your building rules allow it; spin at high speed to "
		  "dry faster. If you keep the dryer, fill it well and clean the filter "
		  "every cycle. Check in the week you did not use it.",
	.co2e_g = 299,
	.waste_g = 0,
	.points = 10,
	.source = "ADEME, Panel usages électrodomestiques (2021): 1.636 kWh par cycle, 183 "
		  "cycles/an. Nos Gestes Climat 4.10.2: commun . mix électrique . empreinte "
		  "carbone = 0.0519 kgCO2e/kWh. 183 ÷ 52 × 1.636 × 0.0519 = 0.299 kg.",
    },
    {
	.id = "veilles-eteintes",
	.category = ACTION_LOGEMENT,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Éteindre les appareils en veille",
	.title_en = "Switch off devices on standby",
	.why_fr = "Box, télévision, console, chargeurs : un foyer compte 15 à 50 appareils "
		  "en veille, qui tirent souvent plus de 50 W en permanence (ADEME). En "
		  "couper la moitié 16 heures par jour économise environ 2,8 kWh par "
		  "semaine, soit 150 g de CO₂e : peu de CO₂e avec l’électricité française, "
		  "mais jusqu’à 10 % de la facture d’électricité selon l’ADEME.",
	.why_en = "Internet box, TV, console, chargers: a household has 15 to 50 devices on "
		  "standby, often drawing over 50 W around the clock (ADEME). Switching "
		  "half of them off 16 hours a day saves about 2.8 kWh a week, or 150 g "
		  "CO₂e: little CO₂e with French electricity, but up to 10% of the "
		  "electricity bill according to ADEME.",
	.how_fr = "Branchez télévision, box et console sur une multiprise à interrupteur et "
		  "coupez-la le soir et en partant. Débranchez les chargeurs inutilisés, "
		  "mais laissez branchés le réfrigérateur, le congélateur, le lave-linge et "
		  "le lave-vaisselle. Cochez l’action la semaine où vous l’avez fait chaque "
		  "jour.",
	.how_en = "Plug the TV, box and console into a switched power strip and turn it off "
		  "at night and when you leave. Unplug idle chargers, but keep the fridge, "
		  "freezer, washing machine and dishwasher plugged in. Check in the week "
		  "you did it every day.",
	.co2e_g = 145,
	.waste_g = 0,
	.points = 5,
	.source = "Estimation. ADEME: veilles souvent > 50 W par foyer. Hypothèse: 25 W "
		  "coupés 16 h/jour, 25 × 16 × 7 = 2.8 kWh/semaine. Nos Gestes Climat "
		  "4.10.2: commun . mix électrique . empreinte carbone = 0.0519 kgCO2e/kWh "
		  "→ 0.145 kg.",
    },
    {
	.id = "releve-compteurs",
	.category = ACTION_LOGEMENT,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Relever ses compteurs d’énergie et d’eau",
	.title_en = "Read your energy and water meters",
	.why_fr = "On réduit mieux ce que l’on mesure : suivre sa consommation chaque "
		  "semaine permet de repérer les gaspillages (chauffage trop fort, fuite, "
		  "appareil gourmand) et de voir l’effet de vos efforts. Cette action ne "
		  "compte pas de CO₂e évité en elle-même : les économies viennent des "
		  "gestes qu’elle vous aide à choisir.",
	.why_en = "What gets measured gets reduced: following your consumption every week "
		  "reveals waste (heating too high, a leak, a hungry appliance) and shows "
		  "the effect of your efforts. This action counts no CO₂e in itself: the "
		  "savings come from the actions it helps you choose.",
	.how_fr = "Notez chaque semaine, le même jour, les index des compteurs "
		  "d’électricité, de gaz et d’eau, ou consultez votre espace client en "
		  "ligne : les compteurs Linky et Gazpar donnent une consommation par jour. "
		  "Comparez d’une semaine à l’autre en tenant compte de la météo, puis "
		  "cochez l’action.",
	.how_en = "Every week on the same day, note the readings of your electricity, gas "
		  "and water meters, or check your online customer account: Linky and "
		  "Gazpar meters give daily figures. Compare week to week, allowing for the "
		  "weather, then check in.",
	.co2e_g = 0,
	.waste_g = 0,
	.points = 5,
	.source = "Aucune économie comptée: action de mesure, qui aide à choisir et à "
		  "vérifier les autres gestes du logement.",
    },
    {
	.id = "conseil-france-renov",
	.category = ACTION_LOGEMENT,
	.frequency = ACTION_ONCE,
	.title_fr = "Faire le point avec un conseiller France Rénov’",
	.title_en = "Get advice from a France Rénov’ adviser",
	.why_fr = "Isolation, chauffage, ventilation : les travaux sont les leviers les "
		  "plus puissants pour le logement, mais aussi les plus complexes. Les "
		  "conseillers France Rénov’, service public gratuit et indépendant, aident "
		  "à choisir les travaux utiles et les aides possibles. Cette action ne "
		  "compte pas de CO₂e en elle-même : elle prépare les plus gros gains.",
	.why_en = "Insulation, heating, ventilation: building work is the most powerful "
		  "lever for a home, and the most complex one. France Rénov’ advisers, a "
		  "free and independent public service, help you choose the right work and "
		  "the grants available. This action counts no CO₂e in itself: it prepares "
		  "the biggest savings.",
	.how_fr = "Prenez rendez-vous sur france-renov.gouv.fr ou au 0 808 800 700 : un "
		  "conseiller proche de chez vous vous répondra. Préparez vos factures "
		  "d’énergie et, si vous l’avez, le diagnostic de performance énergétique "
		  "(DPE). En copropriété, parlez-en aussi au conseil syndical.",
	.how_en = "Book an appointment on france-renov.gouv.fr or by calling 0 808 800 700: "
		  "a local adviser will answer. Have your energy bills ready and, if you "
		  "have it, the energy performance certificate (DPE). In a co-owned "
		  "building, raise it with the owners’ council too.",
	.co2e_g = 0,
	.waste_g = 0,
	.points = 20,
	.source = "Aucune économie comptée: action de conseil. Service public France Rénov’ "
		  "(france-renov.gouv.fr, 0 808 800 700).",
    },
    {
	.id = "seconde-main",
	.category = ACTION_CONSOMMATION,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Acheter un vêtement d’occasion plutôt que neuf",
	.title_en = "Buy clothing second-hand instead of new",
	.why_fr = "Fabriquer des vêtements émet beaucoup : un simple t-shirt neuf pèse "
		  "environ 5,2 kg de CO₂e, un pantalon plus de 20 kg (Nos Gestes Climat). "
		  "Acheter d’occasion évite presque toute cette fabrication. Nous comptons "
		  "prudemment un t-shirt, soit 5,2 kg de CO₂e évités par achat.",
	.why_en = "Making clothes emits a lot: a plain new T-shirt weighs about 5.2 kg "
		  "CO₂e, a pair of trousers over 20 kg (Nos Gestes Climat). Buying "
		  "second-hand avoids almost all of that manufacturing. We cautiously count "
		  "one T-shirt, 5.2 kg CO₂e avoided per purchase.",
	.how_fr = "Fouillez les friperies, les dépôts-ventes, les vide-dressings et les "
		  "applications de revente, ou organisez un troc entre amis. Vérifiez les "
		  "coutures et les fermetures avant d’acheter. Cochez l’action quand vous "
		  "avez acheté d’occasion un vêtement que vous auriez sinon acheté neuf.",
	.how_en = "Browse charity and vintage shops, consignment stores, clothes swaps and "
		  "resale apps, or organise a swap with friends. Check seams and fastenings "
		  "before buying. Check in when you bought second-hand a garment you would "
		  "otherwise have bought new.",
	.co2e_g = 5160,
	.waste_g = 0,
	.points = 15,
	.source = "Nos Gestes Climat 4.10.2: divers . textile . t-shirt . empreinte carbone "
		  ". hors durabilité = 5.16 kgCO2e (pantalon: 22.37). Hypothèse prudente: "
		  "un t-shirt neuf évité, impact de la revente négligé.",
    },
    {
	.id = "reparer-vetement",
	.category = ACTION_CONSOMMATION,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Réparer un vêtement au lieu de le remplacer",
	.title_en = "Mend a garment instead of replacing it",
	.why_fr = "Un bouton recousu, un ourlet refait ou un trou reprisé prolongent la vie "
		  "d’un vêtement et évitent d’en racheter un : au moins 5,2 kg de CO₂e pour "
		  "un simple t-shirt neuf (Nos Gestes Climat), et environ 200 g de textile "
		  "en moins à jeter. Les chaussures aussi se ressemellent.",
	.why_en = "Sewing a button back on, redoing a hem or darning a hole extends a "
		  "garment’s life and avoids buying another: at least 5.2 kg CO₂e for a "
		  "plain new T-shirt (Nos Gestes Climat), and about 200 g less textile "
		  "thrown away. Shoes can be resoled too.",
	.how_fr = "Gardez une petite trousse de couture et apprenez un ou deux points grâce "
		  "aux tutoriels en vidéo, ou confiez le travail à un retoucheur ou à un "
		  "cordonnier du quartier : le bonus réparation réduit la facture chez les "
		  "professionnels labellisés. Cochez l’action quand vous avez réparé une "
		  "pièce que vous auriez remplacée.",
	.how_en = "Keep a small sewing kit and learn a stitch or two from video tutorials, "
		  "or take it to a local tailor or cobbler: the repair bonus (bonus "
		  "réparation) lowers the bill at certified professionals. Check in when "
		  "you mended an item you would have replaced.",
	.co2e_g = 5160,
	.waste_g = 200,
	.points = 15,
	.source = "Nos Gestes Climat 4.10.2: divers . textile . t-shirt . empreinte carbone "
		  ". hors durabilité = 5.16 kgCO2e, un achat neuf évité. Déchet: estimation "
		  "200 g (masse d’un t-shirt).",
    },
    {
	.id = "livre-emprunte",
	.category = ACTION_CONSOMMATION,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Emprunter un livre plutôt que l’acheter neuf",
	.title_en = "Borrow a book instead of buying it new",
	.why_fr = "Fabriquer et distribuer un livre neuf émet de l’ordre de 1,3 kg de CO₂e "
		  "(estimation d’une étude de Carbone 4 pour un grand éditeur). Emprunter "
		  "un livre ou l’acheter d’occasion évite cette fabrication tout en faisant "
		  "circuler les livres.",
	.why_en = "Making and distributing a new book emits about 1.3 kg CO₂e (estimate "
		  "from a Carbone 4 study for a major publisher). Borrowing a book or "
		  "buying it second-hand avoids that manufacturing and keeps books in "
		  "circulation.",
	.how_fr = "Les médiathèques d’Issy prêtent livres, BD, disques et films, et la "
		  "ville compte des bibliothèques partagées en libre accès, notamment au "
		  "parc de l’Abbé Derry et sur l’île Saint-Germain. Cochez l’action quand "
		  "vous avez emprunté ou acheté d’occasion un livre au lieu d’un neuf.",
	.how_en = "Issy’s media libraries lend books, comics, music and films, and the town "
		  "has free book-swap shelves, for instance in the Parc de l’Abbé Derry and "
		  "on the Île Saint-Germain. Check in when you borrowed or bought "
		  "second-hand a book instead of a new one.",
	.co2e_g = 1300,
	.waste_g = 0,
	.points = 10,
	.source = "Estimation: environ 1.3 kgCO2e par livre neuf (étude Carbone 4 pour "
		  "Hachette Livre, valeur révisée, citée par des sources secondaires; non "
		  "confirmée à la source). Nos Gestes Climat n’a pas de facteur par livre.",
    },
    {
	.id = "moins-ecrans",
	.category = ACTION_CONSOMMATION,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Une heure d’écran en ligne de moins par jour",
	.title_en = "One hour less of online screen time a day",
	.why_fr = "Chaque heure en ligne (vidéo, réseaux sociaux, jeux) sollicite réseaux "
		  "et centres de données : environ 42 g de CO₂e par heure selon Nos Gestes "
		  "Climat. Une heure de moins par jour pendant une semaine évite environ "
		  "290 g de CO₂e. Mais l’essentiel de l’empreinte du numérique vient de la "
		  "fabrication des appareils : les garder longtemps compte bien plus.",
	.why_en = "Each hour online (video, social media, games) uses networks and data "
		  "centres: about 42 g CO₂e per hour according to Nos Gestes Climat. One "
		  "hour less a day for a week avoids about 290 g CO₂e. Most of the digital "
		  "footprint, though, comes from making the devices: keeping them longer "
		  "matters far more.",
	.how_fr = "Désactivez la lecture automatique des vidéos, choisissez une définition "
		  "standard sur petit écran et préférez le Wi-Fi à la 4G. Fixez-vous des "
		  "moments sans écran, aux repas ou le soir. Cochez l’action la semaine où "
		  "vous avez tenu une heure de moins par jour.",
	.how_en = "Turn off video autoplay, choose standard definition on small screens and "
		  "prefer Wi-Fi to 4G. Set screen-free times, at meals or in the evening. "
		  "Check in the week you kept to one hour less a day.",
	.co2e_g = 292,
	.waste_g = 0,
	.points = 15,
	.source = "Nos Gestes Climat 4.10.2: divers . numérique . internet . empreinte "
		  "horaire = 0.0417 kgCO2e/h (moyenne de 0.0523 et 0.0311). 7 h × 0.0417 = "
		  "0.292 kg.",
    },
    {
	.id = "reparer-appareil",
	.category = ACTION_CONSOMMATION,
	.frequency = ACTION_ONCE,
	.title_fr = "Faire réparer un petit appareil plutôt que le remplacer",
	.title_en = "Get a small appliance repaired instead of replacing it",
	.why_fr = "Un petit appareil électrique neuf, comme une bouilloire, représente "
		  "environ 10 kg de CO₂e de fabrication (Nos Gestes Climat) et l’ancien "
		  "finit en déchet électronique. Le faire réparer évite l’achat et environ "
		  "1 kg de déchets. Bien des pannes tiennent à une pièce ou à un faux "
		  "contact.",
	.why_en = "A small new electrical appliance such as a kettle represents about 10 kg "
		  "CO₂e of manufacturing (Nos Gestes Climat), and the old one ends up as "
		  "electronic waste. Having it repaired avoids the purchase and about 1 kg "
		  "of waste. Many faults come down to one part or a loose contact.",
	.how_fr = "Dans un Repair Café, des bénévoles réparent avec vous, gratuitement : "
		  "trouvez le plus proche sur repaircafe.org. Chez les réparateurs "
		  "labellisés QualiRépar, le bonus réparation réduit la facture. Cochez "
		  "l’action quand un appareil a été réparé au lieu d’être remplacé.",
	.how_en = "At a Repair Café, volunteers fix things with you for free: find the "
		  "nearest one on repaircafe.org. At QualiRépar-certified repairers, the "
		  "repair bonus lowers the bill. Check in when an appliance was repaired "
		  "instead of replaced.",
	.co2e_g = 9900,
	.waste_g = 1000,
	.points = 40,
	.source = "Nos Gestes Climat 4.10.2: divers . électroménager . appareils . "
		  "bouilloire . empreinte = 9.9 kgCO2e, fabrication d’un appareil neuf "
		  "évitée. Déchet: estimation 1 kg (masse d’une bouilloire).",
    },
    {
	.id = "garder-smartphone",
	.category = ACTION_CONSOMMATION,
	.frequency = ACTION_ONCE,
	.title_fr = "Garder son smartphone un an de plus",
	.title_en = "Keep your smartphone one more year",
	.why_fr = "L’essentiel de l’empreinte d’un smartphone vient de sa fabrication : "
		  "environ 79 kg de CO₂e selon Nos Gestes Climat, qui retient 2,5 ans "
		  "d’usage. Le garder 3,5 ans réduit son empreinte d’environ 9 kg de CO₂e "
		  "par an. Cette action crédite les 13 semaines qui suivent votre "
		  "engagement, soit environ 2,3 kg.",
	.why_en = "Most of a smartphone’s footprint comes from making it: about 79 kg CO₂e "
		  "according to Nos Gestes Climat, which assumes 2.5 years of use. Keeping "
		  "it 3.5 years cuts its footprint by about 9 kg CO₂e a year. This action "
		  "credits the 13 weeks after your commitment, about 2.3 kg.",
	.how_fr = "Protégez-le avec une coque et un verre trempé, faites changer la "
		  "batterie plutôt que l’appareil quand elle faiblit, et libérez de la "
		  "mémoire plutôt que d’en racheter un plus grand. Le même raisonnement "
		  "vaut pour l’ordinateur. Cochez l’action quand vous décidez de garder "
		  "votre téléphone au moins un an de plus.",
	.how_en = "Protect it with a case and a screen protector, replace the battery "
		  "rather than the phone when it weakens, and free up storage rather than "
		  "buying a bigger one. The same goes for your computer. Check in when you "
		  "decide to keep your phone at least one more year.",
	.co2e_g = 2265,
	.waste_g = 6,
	.points = 20,
	.source = "Nos Gestes Climat 4.10.2: divers . numérique . appareils . téléphone . "
		  "empreinte carbone = 79.27 kgCO2e, durée 2.5 ans. 79.27/2.5 − 79.27/3.5 = "
		  "9.06 kg/an × 13/52 = 2.265 kg. Déchet: 0.2 kg, même calcul → 6 g.",
    },
    {
	.id = "bilan-nos-gestes-climat",
	.category = ACTION_CONSOMMATION,
	.frequency = ACTION_ONCE,
	.title_fr = "Calculer son empreinte avec Nos Gestes Climat",
	.title_en = "Work out your footprint with Nos Gestes Climat",
	.why_fr = "Connaître son empreinte permet de savoir où agir : transport, logement "
		  "et alimentation en font souvent plus des trois quarts. La moyenne "
		  "française est d’environ 9 tonnes de CO₂e par personne et par an, et "
		  "l’objectif pour 2050 est d’environ 2 tonnes. Cette action ne compte pas "
		  "de CO₂e évité, mais elle oriente tous les autres choix.",
	.why_en = "Knowing your footprint shows where to act: transport, housing and food "
		  "often make up over three quarters of it. The French average is about 9 "
		  "tonnes CO₂e per person and year, and the 2050 goal is about 2 tonnes. "
		  "This action counts no CO₂e, but it guides every other choice.",
	.how_fr = "Répondez au questionnaire dans l’application du défi : le calcul se fait "
		  "sur votre téléphone et vos réponses n’en sortent pas. Comptez une "
		  "dizaine de minutes, repérez vos deux postes les plus lourds et "
		  "choisissez des actions qui les visent. Refaites le calcul en fin de "
		  "saison pour mesurer vos progrès.",
	.how_en = "Answer the questionnaire in the challenge app: the calculation runs on "
		  "your phone and your answers never leave it. Allow about ten minutes, "
		  "spot your two heaviest items and pick actions that target them. Redo it "
		  "at the end of the season to measure your progress.",
	.co2e_g = 0,
	.waste_g = 0,
	.points = 20,
	.source = "Aucune économie comptée. Modèle Nos Gestes Climat 4.10.2 (ADEME, "
		  "@incubateur-ademe/nosgestesclimat), calculé sur l’appareil du "
		  "participant.",
    },
    {
	.id = "compost",
	.category = ACTION_DECHETS,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Composter ses biodéchets",
	.title_en = "Compost your food scraps",
	.why_fr = "Épluchures, restes et marc de café forment environ un tiers de la "
		  "poubelle grise (ADEME). Les composter évite qu’ils soient incinérés ou "
		  "enfouis : selon Nos Gestes Climat, environ 55 kg par personne et par an, "
		  "soit chaque semaine 1 kg de déchets et 0,2 kg de CO₂e évités, et un "
		  "engrais gratuit pour vos plantes.",
	.why_en = "Peelings, leftovers and coffee grounds make up about a third of the "
		  "residual bin (ADEME). Composting them keeps them out of incinerators and "
		  "landfill: according to Nos Gestes Climat, about 55 kg per person a year, "
		  "so each week 1 kg of waste and 0.2 kg CO₂e avoided, plus free fertiliser "
		  "for your plants.",
	.how_fr = "Grand Paris Seine Ouest (GPSO) accompagne gratuitement le compostage "
		  "collectif en pied d’immeuble (audit, formation, composteurs) et propose "
		  "d’autres solutions de tri des biodéchets ; des composteurs de quartier "
		  "existent aussi à Issy. Un lombricomposteur tient sur un balcon. Cochez "
		  "l’action la semaine où vous avez composté vos déchets de cuisine.",
	.how_en = "Grand Paris Seine Ouest (GPSO) supports shared composting at the foot of "
		  "apartment buildings free of charge (site check, training, bins) and "
		  "offers other ways to sort food waste; Issy also has neighbourhood "
		  "composters. A worm composter fits on a balcony. Check in the week you "
		  "composted your kitchen scraps.",
	.co2e_g = 212,
	.waste_g = 1058,
	.points = 25,
	.source = "Nos Gestes Climat 4.10.2: action alimentation . déchets . composter = "
		  "11.01 kgCO2e/an; omr . putrescibles . gisement réduction = 55 kg/an. ÷ "
		  "52: 0.212 kgCO2e et 1.058 kg par semaine.",
    },
    {
	.id = "vrac",
	.category = ACTION_DECHETS,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Faire ses courses en vrac avec ses contenants",
	.title_en = "Shop loose with your own containers",
	.why_fr = "Acheter en vrac avec vos bocaux et vos sacs en tissu évite des "
		  "emballages jetés après un seul usage. Nous estimons le gain à environ "
		  "100 g d’emballages par semaine. Nos Gestes Climat ne chiffre pas encore "
		  "le gain en CO₂e, qui dépend beaucoup des produits : nous le comptons "
		  "donc à zéro.",
	.why_en = "Buying loose with your own jars and cloth bags avoids packaging thrown "
		  "away after a single use. We estimate the saving at about 100 g of "
		  "packaging a week. Nos Gestes Climat does not yet put a figure on the "
		  "CO₂e saving, which depends a lot on the products, so we count it as "
		  "zero.",
	.how_fr = "Commencez par les produits secs (pâtes, riz, lentilles, céréales, fruits "
		  "secs) et les fruits et légumes sans barquette. Emportez des bocaux "
		  "propres, faites-les peser à vide (la tare) et gardez des sacs en tissu "
		  "dans votre sac. Cochez l’action la semaine où une partie de vos courses "
		  "s’est faite en vrac.",
	.how_en = "Start with dry goods (pasta, rice, lentils, cereals, dried fruit) and "
		  "unpackaged fruit and vegetables. Bring clean jars, have them weighed "
		  "empty (the tare) and keep cloth bags in your bag. Check in the week part "
		  "of your shopping was done loose.",
	.co2e_g = 0,
	.waste_g = 100,
	.points = 15,
	.source = "Nos Gestes Climat 4.10.2: alimentation . déchets . gestes . acheter en "
		  "vrac = 0 kgCO2e (pas de donnée). Déchet: estimation 100 g d’emballages "
		  "évités par semaine (environ 5 emballages de 20 g).",
    },
    {
	.id = "gourde",
	.category = ACTION_DECHETS,
	.frequency = ACTION_DAILY,
	.title_fr = "Remplir sa gourde au lieu d’acheter une bouteille d’eau",
	.title_en = "Refill your bottle instead of buying bottled water",
	.why_fr = "Une petite bouteille d’eau de 50 cl, c’est environ 160 g de CO₂e (0,32 "
		  "kg par litre selon Nos Gestes Climat) et une quinzaine de grammes de "
		  "plastique jetés, pour quelques minutes d’usage. Une gourde se remplit "
		  "gratuitement au robinet ou aux fontaines publiques.",
	.why_en = "A small 50 cl bottle of water means about 160 g CO₂e (0.32 kg per litre "
		  "according to Nos Gestes Climat) and some fifteen grams of plastic thrown "
		  "away, for a few minutes of use. A refillable bottle fills up for free at "
		  "the tap or at public fountains.",
	.how_fr = "Gardez la gourde dans votre sac de travail ou de sport et repérez les "
		  "fontaines d’eau potable sur vos trajets. Lavez-la régulièrement à l’eau "
		  "chaude savonneuse. Cochez l’action les jours où elle vous a évité "
		  "d’acheter une bouteille.",
	.how_en = "Keep the bottle in your work or gym bag and spot the drinking fountains "
		  "on your routes. Wash it regularly in hot soapy water. Check in on the "
		  "days it saved you buying a bottle.",
	.co2e_g = 160,
	.waste_g = 15,
	.points = 2,
	.source = "Nos Gestes Climat 4.10.2: alimentation . boisson . eau en bouteille . "
		  "empreinte carbone = 0.32 kgCO2e/l × 0.5 l = 0.160 kg. Déchet: estimation "
		  "15 g pour une bouteille PET de 50 cl et son bouchon.",
    },
    {
	.id = "tri-emballages",
	.category = ACTION_DECHETS,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Trier tous ses emballages en plastique",
	.title_en = "Sort all your plastic packaging",
	.why_fr = "Un plastique jeté dans la poubelle grise est surtout incinéré, ce qui "
		  "relâche le carbone fossile qu’il contient ; trié, il est en grande "
		  "partie recyclé. Avec les facteurs de Nos Gestes Climat, chaque kilo de "
		  "plastique trié évite environ 0,76 kg de CO₂e, soit 110 g pour 150 g "
		  "triés en plus par semaine. Trier ne réduit pas le poids des déchets, "
		  "mais allège la poubelle grise.",
	.why_en = "Plastic thrown in the residual bin is mostly incinerated, releasing the "
		  "fossil carbon it contains; sorted, most of it is recycled. With the Nos "
		  "Gestes Climat factors, each kilo of plastic sorted avoids about 0.76 kg "
		  "CO₂e, so 110 g for an extra 150 g sorted a week. Sorting does not reduce "
		  "the weight of waste, but it lightens the residual bin.",
	.how_fr = "Depuis 2023, partout en France, tous les emballages se trient : "
		  "bouteilles, pots, barquettes, films et sachets vont dans le bac de tri. "
		  "Inutile de les laver, il suffit de bien les vider, et déposez-les en "
		  "vrac plutôt que dans un sac fermé. Cochez l’action la semaine où aucun "
		  "emballage n’est parti dans la poubelle grise.",
	.how_en = "Since 2023, all packaging is sorted everywhere in France: bottles, pots, "
		  "trays, films and bags go in the recycling bin. No need to wash them, "
		  "just empty them well, and put them in loose rather than in a closed bag. "
		  "Check in the week no packaging went into the residual bin.",
	.co2e_g = 114,
	.waste_g = 0,
	.points = 5,
	.source = "Nos Gestes Climat 4.10.2, plastiques: OMR 74 % × 2.139 + 26 % × 0.041 = "
		  "1.594 kgCO2e/kg; tri 82 % × 0.662 + 4.5 % × 0.041 + 13.5 % × 2.139 = "
		  "0.833; écart 0.760. Hypothèse: 150 g par semaine → 0.114 kg.",
    },
    {
	.id = "pesee-poubelles",
	.category = ACTION_DECHETS,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Peser ses poubelles de la semaine",
	.title_en = "Weigh the week’s rubbish",
	.why_fr = "Peser ses déchets est le point de départ des défis zéro déchet : trois "
		  "semaines de référence, puis un objectif de 25 à 30 % de moins. Le "
		  "service public collecte en moyenne 615 kg de déchets ménagers et "
		  "assimilés par habitant et par an en France, 452 kg en Île-de-France "
		  "(Insee, 2021). Cette action ne compte pas de déchets évités : elle "
		  "mesure ceux que vos autres gestes évitent.",
	.why_en = "Weighing your rubbish is the starting point of zero-waste challenges: "
		  "three baseline weeks, then a target of 25 to 30% less. Public services "
		  "collect on average 615 kg of household and similar waste per inhabitant "
		  "and year in France, 452 kg in Île-de-France (Insee, 2021). This action "
		  "counts no avoided waste: it measures what your other actions avoid.",
	.how_fr = "Suspendez chaque sac à un peson de cuisine ou de bagage avant de le "
		  "descendre, flux par flux (poubelle grise, emballages, verre, "
		  "biodéchets), et saisissez les totaux dans le journal des déchets de "
		  "l’application. Pesez le même jour chaque semaine, puis cochez l’action.",
	.how_en = "Hang each bag from a kitchen or luggage scale before taking it down, "
		  "stream by stream (residual, packaging, glass, food waste), and enter the "
		  "totals in the app’s waste log. Weigh on the same day every week, then "
		  "check in.",
	.co2e_g = 0,
	.waste_g = 0,
	.points = 10,
	.source = "Aucune économie comptée: action de mesure (méthode des défis zéro "
		  "déchet: 3 semaines de référence, puis −25 à −30 %). Références: Insee "
		  "Première n° 2055 et Insee Analyses Île-de-France n° 203 (2025).",
    },
    {
	.id = "stop-pub",
	.category = ACTION_DECHETS,
	.frequency = ACTION_ONCE,
	.title_fr = "Coller un autocollant Stop Pub",
	.title_en = "Put a “no junk mail” sticker on your letterbox",
	.why_fr = "Chaque habitant reçoit environ 12 kg d’imprimés publicitaires par an, "
		  "souvent jetés sans être lus (ADEME), et un Stop Pub respecté en supprime "
		  "environ 90 %. Cette action crédite les 13 semaines qui suivent : environ "
		  "2,7 kg de papier et 3,2 kg de CO₂e évités (3 prospectus par semaine à 83 "
		  "g de CO₂e chacun, selon Nos Gestes Climat).",
	.why_en = "Each inhabitant receives about 12 kg of advertising leaflets a year, "
		  "often thrown away unread (ADEME), and a respected “Stop Pub” sticker "
		  "removes about 90% of them. This action credits the following 13 weeks: "
		  "about 2.7 kg of paper and 3.2 kg CO₂e avoided (3 leaflets a week at 83 g "
		  "CO₂e each, according to Nos Gestes Climat).",
	.how_fr = "Téléchargez l’autocollant sur le site du ministère de la Transition "
		  "écologique, ou écrivez simplement « Stop Pub » sur une étiquette, et "
		  "collez-le bien en vue sur votre boîte aux lettres. Vous continuerez à "
		  "recevoir l’information de la ville et de GPSO. Cochez l’action une fois "
		  "l’autocollant posé.",
	.how_en = "Download the sticker from the French ecological transition ministry’s "
		  "website, or simply write “Stop Pub” on a label, and put it where it can "
		  "be seen on your letterbox. You will still receive information from the "
		  "town and GPSO. Check in once the sticker is on.",
	.co2e_g = 3237,
	.waste_g = 2700,
	.points = 20,
	.source = "Nos Gestes Climat 4.10.2: déchets . bonus stop pub . gain prospectus = "
		  "0.083 kgCO2e × 3 prospectus/semaine. ADEME: ~12 kg d’imprimés/hab/an, "
		  "−90 % avec Stop Pub. 13 semaines créditées: 3.237 kgCO2e et 2.7 kg.",
    },
    {
	.id = "donner-objets",
	.category = ACTION_DECHETS,
	.frequency = ACTION_ONCE,
	.title_fr = "Donner des objets plutôt que les jeter",
	.title_en = "Give things away instead of throwing them out",
	.why_fr = "Un objet donné reste utile au lieu de devenir un déchet, et il évite "
		  "souvent un achat neuf à son nouveau propriétaire. Pour un sac d’objets "
		  "d’environ 3 kg (vaisselle, jouets, livres, petit mobilier), nous "
		  "comptons 3 kg de déchets évités et 0,26 kg de CO₂e de fin de vie, sans "
		  "compter la fabrication évitée.",
	.why_en = "A donated object stays useful instead of becoming waste, and it often "
		  "saves its new owner a new purchase. For a bag of about 3 kg of things "
		  "(dishes, toys, books, small furniture), we count 3 kg of waste avoided "
		  "and 0.26 kg CO₂e of end-of-life treatment, not counting the "
		  "manufacturing avoided.",
	.how_fr = "À Issy, une boîte à dons est installée devant la Fabrique d’Issy aux "
		  "Épinettes ; associations, ressourceries, vide-greniers et sites de dons "
		  "entre particuliers prennent le reste. Donnez des objets propres et en "
		  "état de marche. Cochez l’action quand vous avez donné au moins un sac "
		  "d’objets ou un meuble.",
	.how_en = "In Issy, a give-away box stands in front of the Fabrique d’Issy in Les "
		  "Épinettes; charities, reuse centres, car-boot sales and give-away "
		  "websites take the rest. Give things that are clean and working. Check in "
		  "when you have given away at least a bag of things or a piece of "
		  "furniture.",
	.co2e_g = 261,
	.waste_g = 3000,
	.points = 30,
	.source = "Estimation: un sac d’objets ≈ 3 kg réemployés au lieu d’être jetés. Nos "
		  "Gestes Climat 4.10.2: dechetterie . emcombrants et tout-venant . fin de "
		  "vie moyenne DIB . impact = 0.087 kgCO2e/kg → 0.261 kg (fabrication "
		  "évitée non comptée).",
    },
    {
	.id = "anti-gaspi",
	.category = ACTION_DECHETS,
	.frequency = ACTION_WEEKLY,
	.title_fr = "Une semaine sans gaspillage alimentaire",
	.title_en = "A week without food waste",
	.why_fr = "Chaque Français jette environ 30 kg d’aliments par an, dont 7 kg encore "
		  "emballés (ADEME). Produire de la nourriture pour la jeter gaspille "
		  "l’énergie, l’eau et les terres qui ont servi à la faire pousser : "
		  "environ 30 kg de CO₂e par personne et par an. Une semaine sans "
		  "gaspillage évite en moyenne 0,6 kg de déchets et 0,6 kg de CO₂e.",
	.why_en = "Each person in France throws away about 30 kg of food a year, 7 kg of it "
		  "still packaged (ADEME). Producing food only to bin it wastes the energy, "
		  "water and land used to grow it: about 30 kg CO₂e per person a year. A "
		  "week without food waste avoids on average 0.6 kg of waste and 0.6 kg "
		  "CO₂e.",
	.how_fr = "Faites la liste de courses à partir de ce qui reste dans le "
		  "réfrigérateur et placez devant ce qui périme en premier. La date limite "
		  "de consommation (« à consommer jusqu’au ») est impérative, mais un "
		  "produit reste bon après sa date de durabilité minimale (« de préférence "
		  "avant »). Cuisinez les restes et congelez pain et portions en trop.",
	.how_en = "Write the shopping list from what is left in the fridge and put what "
		  "expires first at the front. A use-by date is strict, but food stays fine "
		  "after its best-before date. Cook the leftovers and freeze spare bread "
		  "and portions.",
	.co2e_g = 577,
	.waste_g = 577,
	.points = 15,
	.source = "Nos Gestes Climat 4.10.2: alimentation . déchets . gestes . empreinte "
		  "gaspillage alimentaire = 30 kgCO2e/an; 30 kg d’aliments "
		  "jetés/personne/an (ADEME). ÷ 52: 0.577 kgCO2e et 0.577 kg.",
    },
    {.id = NULL},
};
