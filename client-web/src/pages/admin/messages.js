// The staff console's messages join the catalogues when the console loads;
// imported first by pages/admin.js so every panel finds them.
import { addMessages } from '../../i18n/index.js';
import fr from '../../i18n/admin.fr.js';
import en from '../../i18n/admin.en.js';

addMessages({ fr, en });
