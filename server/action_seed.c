/* Placeholder catalogue (two actions) until the researched one lands. */
#include <stddef.h>

#include "action_seed.h"

const struct action_seed action_seed[] = {
    {"repas-vegetarien", ACTION_ALIMENTATION, ACTION_DAILY, "Un repas végétarien",
     "A vegetarian meal", "placeholder", "placeholder", "placeholder", "placeholder", 4160, 0,
     10, "placeholder"},
    {"velo-trajet", ACTION_TRANSPORT, ACTION_DAILY, "Un trajet à vélo", "A trip by bike",
     "placeholder", "placeholder", "placeholder", "placeholder", 2700, 0, 10, "placeholder"},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL}};
