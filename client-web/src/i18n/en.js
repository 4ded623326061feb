// English catalogue. Same keys as fr.js (the build fails otherwise).
// {name} is replaced by the value passed to t().

export default {
  'app.name': 'Zero Carbon Challenge',
  'app.shortName': 'Zero Carbon',
  'app.description':
    'Your city’s Zero Carbon Challenge: cut your carbon footprint and your waste, under a pseudonym.',
  'app.pageTitle': '{page} – Zero Carbon Challenge',
  'app.skip': 'Skip to content',
  'app.loading': 'Loading…',
  'app.noscript': 'This app needs JavaScript. Turn it on in your browser to take part in the challenge.',
  'app.offline': 'You are offline. Pages already loaded stay readable, but your changes cannot be sent.',

  'nav.label': 'Main navigation',
  'nav.home': 'Home',
  'nav.join': 'Join',
  'nav.profile': 'Profile',
  'nav.actions': 'Actions',
  'nav.dashboard': 'Dashboard',
  'nav.leaderboards': 'Leaderboards',
  'nav.waste': 'My waste',
  'nav.teams': 'My teams',
  'nav.progress': 'My progress',
  'nav.workshops': 'Workshops',
  'nav.intercity': 'Inter-city',
  'ic.title': 'Inter-city challenge',
  'lang.label': 'Interface language',
  'lang.fr': 'Français',
  'lang.en': 'English',
  'lang.frShort': 'FR',
  'lang.enShort': 'EN',
  'footer.label': 'Footer links',
  'footer.privacy': 'Privacy',
  'footer.admin': 'Staff area',
  'footer.tagline': 'A public service, with no ads and no tracking.',

  'common.cancel': 'Cancel',
  'common.optional': 'optional',
  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.working': 'One moment…',
  'units.bytes': 'B|KiB|MiB|GiB',
  'common.backHome': 'Back to the home page',

  'home.title': 'Zero Carbon Challenge',
  'home.lead':
    'The Zero Carbon Challenge (Défi Zéro Carbone) invites the people of {city} to cut their carbon footprint and their waste, week after week, for a whole season.',
  'home.cityFallback': 'your city',
  'home.body':
    'You pick practical actions that fit your daily life, follow your progress and join workshops, in person or online. You take part under a pseudonym: no name, e-mail address or phone number is asked for.',
  'home.season': 'Current season: {name}, from {start} to {end}.',
  'home.join': 'Join the challenge',
  'home.recover': 'I already have an account',
  'home.welcomeBack': 'You already take part in the challenge from this device.',
  'home.toProfile': 'See my profile',
  'home.summaryTitle': 'My season',
  'home.level': 'Level {icon} {name}',
  'home.points.one': '{n} point',
  'home.points.other': '{n} points',
  'home.week': 'This week: {done} of {goal} actions aimed at.',
  'home.goalMet': 'This week’s goal reached! 🎯',
  'home.checkIn': 'Check in an action',
  'home.dashboard': 'My dashboard',
  'home.more': 'Also',
  'home.workshops': 'See the workshops',

  'home.footprint': 'Work out my carbon footprint',
  'field.optional': '{label} (optional)',
  'field.nickname': 'Nickname',
  'field.nicknameHint':
    '3 to 24 characters: letters (accented ones too), digits, spaces, hyphens (-), underscores (_), dots (.) and apostrophes (\'). It starts and ends with a letter or a digit, and other participants can see it.',
  'field.neighbourhood': 'Neighbourhood',
  'field.neighbourhoodNone': 'I’d rather not say',
  'field.neighbourhoodHint': 'For the rankings between neighbourhoods.',
  'field.neighbourhoodUnavailable':
    'The list of neighbourhoods could not be loaded; you can set it later in your profile.',
  'field.household': 'Number of people in your household',
  'field.householdHint': '1 to 20. It turns your waste into a weight per person.',
  'field.lang': 'Preferred language',
  'field.hidden': 'Hide my nickname from the rankings',
  'field.hiddenHint': 'Your nickname will no longer appear in public rankings.',

  'validation.nicknameLength': 'The nickname must be 3 to 24 characters long.',
  'validation.nicknameChars':
    'The nickname may only contain letters, digits, spaces, hyphens (-), underscores (_), dots (.) and apostrophes (\').',
  'validation.nicknameForm':
    'The nickname must start and end with a letter or a digit, with no two spaces in a row.',
  'validation.nicknameRules': 'This nickname does not follow the rules shown below the field.',
  'validation.household': 'Enter a whole number from 1 to 20, or leave the field empty.',
  'validation.neighbourhood': 'This neighbourhood is not on the city’s list.',
  'validation.codeEmpty': 'Enter your recovery code.',
  'validation.required': 'This field is required.',
  'validation.username': '3 to 32 characters among a-z, 0-9, dot, hyphen and underscore.',
  'validation.word': 'The word must be 2 to 32 characters long.',
  'validation.password': 'The password must be 12 to 128 characters long.',

  'join.title': 'Join the challenge',
  'join.intro': 'All you need is a nickname; the other fields are optional.',
  'join.noPersonal': 'We never ask for your name, e-mail address or phone number.',
  'join.privacyLink': 'What we store',
  'join.submit': 'Join the challenge',
  'join.submitting': 'Signing you up…',
  'join.already': 'Already have an account?',
  'join.alreadyLink': 'Recover it with your code',

  'code.title': 'Your recovery code',
  'code.welcome': 'Welcome, {nickname}! Your account is ready.',
  'code.recovered':
    'Welcome back, {nickname}! Your account is restored on this device. Your old recovery code no longer works: here is the new one.',
  'code.explain':
    'Write this code down and keep it somewhere safe. It is the only way to get your account back on another device, or if this browser’s data is cleared.',
  'code.once': 'It will never be shown again.',
  'code.label': 'Recovery code',
  'code.copy': 'Copy the code',
  'code.copied': 'Code copied to the clipboard.',
  'code.copyFailed': 'Copying failed: select the code and copy it by hand.',
  'code.confirm': 'I have written down my recovery code',
  'code.mustConfirm': 'Tick the box to confirm that you have written down your code.',
  'code.continue': 'Continue',

  'recover.title': 'Recover my account',
  'recover.intro':
    'Enter the recovery code you wrote down when you joined. You will get a new code, and the old one will stop working.',
  'recover.field': 'Recovery code',
  'recover.hint': 'For example ABCD-EFGH-JKMN-PQRS-TUVW. Upper or lower case and dashes do not matter.',
  'recover.submit': 'Recover my account',
  'recover.submitting': 'Checking…',
  'recover.lost': 'Lost your code? Without it the account cannot be recovered, but you can create a new one.',
  'recover.joinLink': 'Join the challenge',

  'profile.title': 'My profile',
  'profile.loading': 'Loading your profile…',
  'profile.memberSince': 'Member since {date}.',
  'profile.editTitle': 'Edit my profile',
  'profile.save': 'Save changes',
  'profile.saving': 'Saving…',
  'profile.saved': 'Changes saved.',
  'profile.unchanged': 'Nothing to save.',
  'profile.dataTitle': 'My data',
  'profile.dataText':
    'At any time you can download all the data the service keeps about you, or delete your account.',
  'profile.export': 'Download my data',
  'profile.exporting': 'Preparing the file…',
  'profile.exported': 'The file {file} has been downloaded.',
  'profile.delete': 'Delete my account',
  'profile.deleteTitle': 'Delete your account?',
  'profile.deleteText':
    'Your nickname, your profile and all your data will be erased for good. This cannot be undone: your recovery code will no longer bring the account back.',
  'profile.deleteConfirm': 'Yes, delete for good',
  'profile.deleting': 'Deleting…',
  'profile.deleted': 'Your account and all your data have been deleted. Thank you for taking part!',
  'profile.none': 'No account is open on this device.',
  'profile.sessionLost':
    'Your session is no longer valid on this device: the account may have been recovered on another device, or deleted.',
  'profile.offerRecover': 'Recover my account',
  'profile.offerJoin': 'Join the challenge',

  'profile.challengeTitle': 'My challenge',
  'profile.challengeText': 'Your level, your badges and your weekly goal; your teams; weighing your waste.',
  'profile.footprintTitle': 'My carbon footprint',
  'profile.footprintText': 'Estimate your footprint with ADEME’s model, then save it to follow how it changes.',
  'profile.footprintLink': 'Work out my footprint',
  'footprint.title': 'My carbon footprint',
  'common.pageLoading': 'Loading the page…',
  'common.pageFailed': 'This page could not be loaded. Check your connection, then try again.',
  'errors.network': 'The server cannot be reached. Check your connection, then try again.',
  'errors.nickname_taken': 'This nickname is already taken. Please choose another one.',
  'errors.nickname_denied': 'This nickname is not accepted. Please choose another one.',
  'errors.invalid_field': 'The server does not accept a value ({message}).',
  'errors.rate_limited': 'Too many attempts from your connection. Try again in a few minutes.',
  'errors.rate_limited_wait': 'Too many attempts from your connection. Try again in {seconds} s.',
  'errors.rate_limited_minutes': 'Too many attempts from your connection. Try again in {minutes} min.',
  'errors.body_too_large': 'What you sent is too large for the server.',
  'errors.invalid_credentials': 'This recovery code is not recognised. Check it, then try again.',
  'errors.invalid_token': 'Your session is no longer valid.',
  'errors.missing_token': 'Your session is no longer valid.',
  'errors.token_expired': 'Your session has expired.',
  'errors.forbidden': 'Your role does not allow this action.',
  'errors.not_found': 'Not found: it may already have been deleted.',
  'errors.username_taken': 'This username is already taken.',
  'errors.conflict': 'This action is not possible (for example, deleting your own account).',
  'errors.too_many_actions': 'The catalogue already holds 200 actions, the maximum (retired ones included).',
  'errors.storage_full': 'The server cannot store data at the moment. Please tell the challenge team.',
  'errors.internal_error': 'The server ran into an error. Try again a little later.',
  'errors.generic': 'The server refused the request: “{message}”.',
  'errors.unknown': 'Something unexpected happened. Try again a little later.',

  'dialog.close': 'Close',

  'admin.title': 'Staff area',











  'privacy.title': 'Privacy',
  'privacy.intro':
    'The Zero Carbon Challenge is designed to work without knowing who you are. Here, in plain words, is what the service stores and what it never does.',
  'privacy.storedTitle': 'What the city’s server stores',
  'privacy.stored1': 'the nickname you choose, which other participants can see (unless you hide it from the rankings);',
  'privacy.stored2': 'if you give them, your neighbourhood and the number of people in your household;',
  'privacy.stored3': 'your preferred language and the date you joined;',
  'privacy.stored4':
    'your login token and your recovery code, only as fingerprints computed with a secret key of the server: nobody, not even the technical team, can work out the code from what is stored.',
  'privacy.stored5':
    'what you save for the challenge: the totals of your carbon footprints (the total and five categories, never your answers), your waste weigh-ins, your commitments, your checked-in actions, your points and badges, and your teams.',
  'privacy.footprintDevice':
    'Your answers to the carbon footprint questionnaire also stay in your browser (local storage, or “localStorage”) and are never sent. You can erase them with the questionnaire’s “Clear my answers” button; they are also erased from this device when you delete your account on it.',
  'privacy.neverTitle': 'What is never asked for or stored',
  'privacy.never':
    'Your name, e-mail address, phone number or postal address. Your connection’s IP address is only used, during your visit, to limit abuse (such as bursts of sign-ups); it is not linked to your account.',
  'privacy.deviceTitle': 'What stays on your device',
  'privacy.device':
    'Your browser keeps your login token and the language you chose, so you do not have to log in again. The app uses no advertising cookie, no audience measurement and no third-party service.',
  'privacy.sharingTitle': 'What may be shared',
  'privacy.sharing':
    'No personal data leaves the city’s server. Only aggregated statistics, with added noise and computed over at least ten people, may be published (open data) or exchanged with other cities of the challenge.',
  'privacy.rightsTitle': 'Your rights',
  'privacy.rights':
    'From the “My profile” page you can at any time download all your data (a JSON file) and delete your account. Deleting erases your profile and all your data at once; they no longer count in future statistics.',
  'privacy.toProfile': 'Go to my profile',

  'notfound.title': 'Page not found',
  'notfound.text': 'This page does not exist or has moved.',
};
