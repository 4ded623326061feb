// Catalogue français (langue de référence). Vouvoiement partout.
// Les espaces insécables de la typographie française (avant : ; ! ? et dans
// les guillemets) sont ajoutées automatiquement par i18n/index.js : écrire ici
// une espace ordinaire.
// {nom} est remplacé par la valeur passée à t().

export default {
  'app.name': 'Défi Zéro Carbone',
  'app.shortName': 'Zéro Carbone',
  'app.description':
    'Le Défi Zéro Carbone de votre ville : réduisez votre empreinte carbone et vos déchets, sous pseudonyme.',
  'app.pageTitle': '{page} – Défi Zéro Carbone',
  'app.skip': 'Aller au contenu',
  'app.loading': 'Chargement…',
  'app.noscript':
    'Cette application a besoin de JavaScript. Activez-le dans votre navigateur pour participer au défi.',
  'app.offline': 'Vous êtes hors ligne. Les pages déjà chargées restent consultables, mais vos modifications ne peuvent pas être envoyées.',

  'nav.label': 'Navigation principale',
  'nav.home': 'Accueil',
  'nav.join': 'Rejoindre',
  'nav.profile': 'Profil',
  'nav.actions': 'Gestes',
  'nav.dashboard': 'Tableau de bord',
  'nav.leaderboards': 'Classements',
  'nav.waste': 'Mes déchets',
  'nav.teams': 'Mes équipes',
  'nav.progress': 'Ma progression',
  'nav.workshops': 'Ateliers',
  'nav.intercity': 'Inter-villes',
  'ic.title': 'Défi inter-villes',
  'lang.label': 'Langue de l’interface',
  'lang.fr': 'Français',
  'lang.en': 'English',
  'lang.frShort': 'FR',
  'lang.enShort': 'EN',
  'footer.label': 'Liens du pied de page',
  'footer.privacy': 'Confidentialité',
  'footer.admin': 'Espace administration',
  'footer.tagline': 'Un service public, sans publicité ni pistage.',

  'common.cancel': 'Annuler',
  'common.optional': 'facultatif',
  'common.loading': 'Chargement…',
  'common.retry': 'Réessayer',
  'common.working': 'Un instant…',
  'units.bytes': 'o|Kio|Mio|Gio',
  'common.backHome': 'Retour à l’accueil',

  'home.title': 'Défi Zéro Carbone',
  'home.lead':
    'Le Défi Zéro Carbone invite les habitantes et les habitants de {city} à réduire leur empreinte carbone et leurs déchets, semaine après semaine, pendant toute une saison.',
  'home.cityFallback': 'votre ville',
  'home.body':
    'Vous choisissez des actions concrètes adaptées à votre quotidien, vous suivez vos progrès et vous participez à des ateliers, sur place ou en ligne. Vous relevez le défi sous un pseudonyme : on ne vous demande ni nom, ni adresse e-mail, ni numéro de téléphone.',
  'home.season': 'Saison en cours : {name}, du {start} au {end}.',
  'home.join': 'Rejoindre le défi',
  'home.recover': 'J’ai déjà un compte',
  'home.welcomeBack': 'Vous participez déjà au défi depuis cet appareil.',
  'home.toProfile': 'Voir mon profil',
  'home.summaryTitle': 'Ma saison',
  'home.level': 'Niveau {icon} {name}',
  'home.points.one': '{n} point',
  'home.points.other': '{n} points',
  'home.week': 'Cette semaine : {done} sur {goal} gestes visés.',
  'home.goalMet': 'Objectif de la semaine atteint ! 🎯',
  'home.checkIn': 'Pointer un geste',
  'home.dashboard': 'Mon tableau de bord',
  'home.more': 'Aussi',
  'home.workshops': 'Voir les ateliers',

  'home.footprint': 'Calculer mon empreinte carbone',
  'field.optional': '{label} (facultatif)',
  'field.nickname': 'Pseudonyme',
  'field.nicknameHint':
    'De 3 à 24 caractères : lettres (accents compris), chiffres, espaces, tirets (-), tirets bas (_), points (.) et apostrophes (\'). Il commence et finit par une lettre ou un chiffre, et il est visible par les autres participants.',
  'field.neighbourhood': 'Quartier',
  'field.neighbourhoodNone': 'Je préfère ne pas le dire',
  'field.neighbourhoodHint': 'Pour les classements entre quartiers.',
  'field.neighbourhoodUnavailable': 'La liste des quartiers n’a pas pu être chargée ; vous pourrez l’indiquer plus tard dans votre profil.',
  'field.household': 'Nombre de personnes dans votre foyer',
  'field.householdHint': 'De 1 à 20. Il sert à ramener vos déchets à un poids par personne.',
  'field.lang': 'Langue préférée',
  'field.hidden': 'Masquer mon pseudonyme des classements',
  'field.hiddenHint': 'Votre pseudonyme n’apparaîtra plus dans les classements publics.',

  'validation.nicknameLength': 'Le pseudonyme doit compter de 3 à 24 caractères.',
  'validation.nicknameChars':
    'Le pseudonyme ne peut contenir que des lettres, des chiffres, des espaces, des tirets (-), des tirets bas (_), des points (.) et des apostrophes (\').',
  'validation.nicknameForm':
    'Le pseudonyme doit commencer et finir par une lettre ou un chiffre, sans deux espaces à la suite.',
  'validation.nicknameRules': 'Ce pseudonyme ne respecte pas les règles indiquées sous le champ.',
  'validation.household': 'Indiquez un nombre entier de 1 à 20, ou laissez le champ vide.',
  'validation.neighbourhood': 'Ce quartier ne figure pas dans la liste de la ville.',
  'validation.codeEmpty': 'Saisissez votre code de récupération.',
  'validation.required': 'Ce champ est obligatoire.',
  'validation.username': 'De 3 à 32 caractères parmi a-z, 0-9, le point, le tiret et le tiret bas.',
  'validation.word': 'Le mot doit compter de 2 à 32 caractères.',
  'validation.password': 'Le mot de passe doit compter de 12 à 128 caractères.',

  'join.title': 'Rejoindre le défi',
  'join.intro': 'Il vous suffit de choisir un pseudonyme ; les autres champs sont facultatifs.',
  'join.noPersonal':
    'Nous ne vous demandons ni votre nom, ni votre adresse e-mail, ni votre numéro de téléphone.',
  'join.privacyLink': 'Ce que nous enregistrons',
  'join.submit': 'Rejoindre le défi',
  'join.submitting': 'Inscription en cours…',
  'join.already': 'Vous avez déjà un compte ?',
  'join.alreadyLink': 'Récupérez-le avec votre code',

  'code.title': 'Votre code de récupération',
  'code.welcome': 'Bienvenue, {nickname} ! Votre compte est créé.',
  'code.recovered':
    'Bon retour parmi nous, {nickname} ! Votre compte est rétabli sur cet appareil. Votre ancien code de récupération ne fonctionne plus : voici le nouveau.',
  'code.explain':
    'Notez ce code et gardez-le en lieu sûr. C’est le seul moyen de retrouver votre compte sur un autre appareil, ou si les données de ce navigateur sont effacées.',
  'code.once': 'Il ne sera plus jamais affiché.',
  'code.label': 'Code de récupération',
  'code.copy': 'Copier le code',
  'code.copied': 'Code copié dans le presse-papiers.',
  'code.copyFailed': 'La copie a échoué : sélectionnez le code et copiez-le à la main.',
  'code.confirm': 'J’ai noté mon code de récupération',
  'code.mustConfirm': 'Cochez la case pour confirmer que vous avez noté votre code.',
  'code.continue': 'Continuer',

  'recover.title': 'Récupérer mon compte',
  'recover.intro':
    'Saisissez le code de récupération noté lors de votre inscription. Vous recevrez un nouveau code, et l’ancien cessera de fonctionner.',
  'recover.field': 'Code de récupération',
  'recover.hint': 'Par exemple ABCD-EFGH-JKMN-PQRS-TUVW. Majuscules, minuscules et tirets sont indifférents.',
  'recover.submit': 'Récupérer mon compte',
  'recover.submitting': 'Vérification…',
  'recover.lost':
    'Code perdu ? Sans lui, le compte ne peut pas être récupéré, mais vous pouvez en créer un nouveau.',
  'recover.joinLink': 'Rejoindre le défi',

  'profile.title': 'Mon profil',
  'profile.loading': 'Chargement de votre profil…',
  'profile.memberSince': 'Membre depuis le {date}.',
  'profile.editTitle': 'Modifier mon profil',
  'profile.save': 'Enregistrer les modifications',
  'profile.saving': 'Enregistrement…',
  'profile.saved': 'Modifications enregistrées.',
  'profile.unchanged': 'Aucune modification à enregistrer.',
  'profile.dataTitle': 'Mes données',
  'profile.dataText':
    'Vous pouvez à tout moment télécharger toutes les données que le service conserve sur vous, ou supprimer votre compte.',
  'profile.export': 'Télécharger mes données',
  'profile.exporting': 'Préparation du fichier…',
  'profile.exported': 'Le fichier {file} a été téléchargé.',
  'profile.delete': 'Supprimer mon compte',
  'profile.deleteTitle': 'Supprimer votre compte ?',
  'profile.deleteText':
    'Votre pseudonyme, votre profil et toutes vos données seront effacés définitivement. Cette action est irréversible : votre code de récupération ne permettra plus de retrouver le compte.',
  'profile.deleteConfirm': 'Oui, supprimer définitivement',
  'profile.deleting': 'Suppression…',
  'profile.deleted': 'Votre compte et toutes vos données ont été supprimés. Merci d’avoir participé !',
  'profile.none': 'Aucun compte n’est ouvert sur cet appareil.',
  'profile.sessionLost':
    'Votre session n’est plus valide sur cet appareil : le compte a peut-être été récupéré sur un autre appareil, ou supprimé.',
  'profile.offerRecover': 'Récupérer mon compte',
  'profile.offerJoin': 'Rejoindre le défi',

  'profile.challengeTitle': 'Mon défi',
  'profile.challengeText': 'Votre niveau, vos badges et votre objectif de la semaine ; vos équipes ; la pesée de vos déchets.',
  'profile.footprintTitle': 'Mon empreinte carbone',
  'profile.footprintText': 'Estimez votre empreinte avec le modèle de l’ADEME, puis enregistrez-la pour suivre son évolution.',
  'profile.footprintLink': 'Calculer mon empreinte',
  'footprint.title': 'Mon empreinte carbone',
  'common.pageLoading': 'Chargement de la page…',
  'common.pageFailed': 'Cette page n’a pas pu être chargée. Vérifiez votre connexion, puis réessayez.',
  'errors.network': 'Impossible de joindre le serveur. Vérifiez votre connexion, puis réessayez.',
  'errors.nickname_taken': 'Ce pseudonyme est déjà pris. Choisissez-en un autre.',
  'errors.nickname_denied': 'Ce pseudonyme n’est pas accepté. Choisissez-en un autre.',
  'errors.invalid_field': 'Une valeur n’est pas acceptée par le serveur ({message}).',
  'errors.rate_limited': 'Trop de tentatives depuis votre connexion. Réessayez dans quelques minutes.',
  'errors.rate_limited_wait': 'Trop de tentatives depuis votre connexion. Réessayez dans {seconds} s.',
  'errors.rate_limited_minutes': 'Trop de tentatives depuis votre connexion. Réessayez dans {minutes} min.',
  'errors.body_too_large': 'Votre envoi est trop volumineux pour le serveur.',
  'errors.invalid_credentials': 'Ce code de récupération n’est pas reconnu. Vérifiez-le, puis réessayez.',
  'errors.invalid_token': 'Votre session n’est plus valide.',
  'errors.missing_token': 'Votre session n’est plus valide.',
  'errors.token_expired': 'Votre session a expiré.',
  'errors.forbidden': 'Votre rôle ne permet pas cette action.',
  'errors.not_found': 'Élément introuvable : il a peut-être déjà été supprimé.',
  'errors.username_taken': 'Ce nom d’utilisateur est déjà pris.',
  'errors.conflict': 'Cette action est impossible (par exemple, supprimer votre propre compte).',
  'errors.too_many_actions': 'Le catalogue compte déjà 200 gestes, le maximum (gestes retirés compris).',
  'errors.storage_full':
    'Le serveur ne peut plus enregistrer de données pour le moment. Prévenez l’équipe du défi.',
  'errors.internal_error': 'Le serveur a rencontré une erreur. Réessayez un peu plus tard.',
  'errors.generic': 'Le serveur a refusé la demande : « {message} ».',
  'errors.unknown': 'Une erreur inattendue s’est produite. Réessayez un peu plus tard.',

  'dialog.close': 'Fermer',

  'admin.title': 'Espace administration',











  'privacy.title': 'Confidentialité',
  'privacy.intro':
    'Le Défi Zéro Carbone est conçu pour fonctionner sans connaître votre identité. Voici, sans jargon, ce que le service enregistre et ce qu’il n’enregistre jamais.',
  'privacy.storedTitle': 'Ce que le serveur de la ville enregistre',
  'privacy.stored1': 'le pseudonyme que vous choisissez, visible par les autres participants (sauf si vous le masquez des classements) ;',
  'privacy.stored2': 'si vous les indiquez, votre quartier et le nombre de personnes de votre foyer ;',
  'privacy.stored3': 'votre langue préférée et la date de votre inscription ;',
  'privacy.stored4':
    'votre jeton de connexion et votre code de récupération, uniquement sous forme d’empreintes calculées avec une clé secrète du serveur : personne, pas même l’équipe technique, ne peut retrouver le code à partir de ce qui est enregistré.',
  'privacy.stored5':
    'ce que vous enregistrez pour le défi : les totaux de vos empreintes carbone (le total et cinq catégories, jamais vos réponses), vos pesées de déchets, vos engagements, vos gestes pointés, vos points et badges, et vos équipes.',
  'privacy.footprintDevice':
    'Les réponses au questionnaire d’empreinte carbone restent elles aussi dans votre navigateur (stockage local, ou « localStorage ») et ne sont jamais envoyées. Vous pouvez les effacer avec le bouton « Effacer mes réponses » du questionnaire ; elles sont aussi effacées de cet appareil quand vous y supprimez votre compte.',
  'privacy.neverTitle': 'Ce qui n’est jamais demandé ni enregistré',
  'privacy.never':
    'Votre nom, votre adresse e-mail, votre numéro de téléphone ou votre adresse postale. L’adresse IP de votre connexion sert seulement, le temps de votre visite, à limiter les abus (par exemple les inscriptions en rafale) ; elle n’est pas rattachée à votre compte.',
  'privacy.deviceTitle': 'Ce qui reste sur votre appareil',
  'privacy.device':
    'Votre navigateur garde votre jeton de connexion et la langue choisie, pour vous éviter de vous reconnecter. L’application n’utilise ni cookie publicitaire, ni outil de mesure d’audience, ni service tiers.',
  'privacy.sharingTitle': 'Ce qui peut être partagé',
  'privacy.sharing':
    'Aucune donnée personnelle ne quitte le serveur de la ville. Seules des statistiques agrégées, bruitées et calculées sur au moins dix personnes peuvent être publiées (données ouvertes) ou échangées avec d’autres villes du défi.',
  'privacy.rightsTitle': 'Vos droits',
  'privacy.rights':
    'Depuis la page « Mon profil », vous pouvez à tout moment télécharger l’ensemble de vos données (fichier JSON) et supprimer votre compte. La suppression efface immédiatement votre profil et toutes vos données, qui ne comptent plus dans les statistiques futures.',
  'privacy.toProfile': 'Aller à mon profil',

  'notfound.title': 'Page introuvable',
  'notfound.text': 'Cette page n’existe pas ou a été déplacée.',
};
