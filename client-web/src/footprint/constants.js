// What the footprint page and the computation share, without the model or
// the engine (the page's chunk must not pull publicodes in).

/** The five categories the node stores, as keys of `categories`. */
export const CATEGORY_KEYS = ['transport', 'alimentation', 'logement', 'divers', 'services_societaux'];

/** Categories that have questions, in the order they are asked. */
export const ASKED_CATEGORIES = ['transport', 'alimentation', 'logement', 'divers'];

// Reference figures shown with the result, in grams of CO2e per person and
// per year. To be refined by the project lead.
// - French average: 8.9 t in 2021, the Ministry of Ecology's statistics
//   service (SDES), "L'empreinte carbone de la France de 1995 à 2021"
//   (https://www.statistiques.developpement-durable.gouv.fr/lempreinte-carbone-de-la-france-de-1995-2021),
//   the figure the Nos Gestes Climat model itself cites (note of the rule
//   "services sociétaux" in model 4.10.2).
// - Target for 2050: 2 t, the level compatible with the Paris Agreement that
//   ADEME and Nos Gestes Climat use as the sustainable footprint.
export const FRENCH_AVERAGE_G = 8_900_000;
export const TARGET_2050_G = 2_000_000;

// The model's own average profile: what Nos Gestes Climat 4.10.2 computes
// when no question is answered (its French default situation), per
// category, in grams of CO2e per year (8.3 t in all). The dashboard compares
// each category with it, since the SDES figure above has no split by the
// model's categories. test/footprint.test.mjs checks these numbers against
// the model, so a new model version updates them on purpose.
export const MODEL_DEFAULT_G = {
  transport: 1_997_182,
  alimentation: 2_045_847,
  logement: 1_659_207,
  divers: 1_186_742,
  services_societaux: 1_398_181,
};
export const MODEL_DEFAULT_TOTAL_G = 8_287_159;
