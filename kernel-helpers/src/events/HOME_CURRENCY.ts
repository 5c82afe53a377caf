// Which currency a shopper from each country pays in: the generator prices every event of a
// user in the currency of the user's home country.

import type { Currency } from './ecommerceEvent.js';

/** The home currency of each country the generator can produce. */
export const HOME_CURRENCY: Readonly<Record<string, Currency>> = {
  US: 'USD',
  UK: 'GBP',
  CA: 'CAD',
  DE: 'EUR',
  FR: 'EUR',
};
