// The made-up shop behind the generated events: categories with price ranges, traffic mixes,
// user agents by device, exchange rates. Plain data; createEventGenerator draws from it.

import type { Currency, DeviceType } from './ecommerceEvent.js';

/** Product categories: id, unit price range in USD, share of the catalogue. */
export const CATEGORIES: readonly { id: string; minUsd: number; maxUsd: number; share: number }[] = [
  { id: 'electronics', minUsd: 15, maxUsd: 900, share: 1.4 },
  { id: 'computers', minUsd: 120, maxUsd: 2400, share: 0.8 },
  { id: 'phones', minUsd: 60, maxUsd: 1300, share: 0.7 },
  { id: 'home_kitchen', minUsd: 6, maxUsd: 320, share: 1.5 },
  { id: 'furniture', minUsd: 40, maxUsd: 1500, share: 0.8 },
  { id: 'garden', minUsd: 5, maxUsd: 400, share: 0.8 },
  { id: 'toys', minUsd: 5, maxUsd: 150, share: 1.1 },
  { id: 'books', minUsd: 4, maxUsd: 60, share: 1.6 },
  { id: 'music', minUsd: 5, maxUsd: 45, share: 0.6 },
  { id: 'video_games', minUsd: 10, maxUsd: 80, share: 0.8 },
  { id: 'womens_fashion', minUsd: 9, maxUsd: 260, share: 1.5 },
  { id: 'mens_fashion', minUsd: 9, maxUsd: 220, share: 1.2 },
  { id: 'shoes', minUsd: 25, maxUsd: 250, share: 1.0 },
  { id: 'beauty', minUsd: 4, maxUsd: 120, share: 1.2 },
  { id: 'health', minUsd: 4, maxUsd: 90, share: 0.9 },
  { id: 'sports', minUsd: 8, maxUsd: 450, share: 1.0 },
  { id: 'outdoors', minUsd: 10, maxUsd: 600, share: 0.7 },
  { id: 'automotive', minUsd: 8, maxUsd: 500, share: 0.6 },
  { id: 'grocery', minUsd: 2, maxUsd: 40, share: 1.0 },
  { id: 'pet_supplies', minUsd: 3, maxUsd: 120, share: 0.8 },
];

/** Units of a currency per US dollar (fixed: the shop reprices rarely). */
export const USD_RATE: Readonly<Record<Currency, number>> = { USD: 1, GBP: 0.79, CAD: 1.37, EUR: 0.92 };

/** Share of users by home country (renormalised over the countries in use). */
export const COUNTRY_SHARE: Readonly<Record<string, number>> = {
  US: 0.42,
  UK: 0.18,
  CA: 0.1,
  DE: 0.16,
  FR: 0.14,
};

/** Share of users by main device. */
export const DEVICE_SHARE: Readonly<Record<DeviceType, number>> = {
  mobile: 0.56,
  desktop: 0.34,
  tablet: 0.1,
};

/** Share of sessions by traffic source, in the order of REFERRERS. */
export const REFERRER_SHARE: readonly number[] = [0.38, 0.26, 0.1, 0.08, 0.08, 0.05, 0.05];

/** Real user-agent strings by device type. */
export const USER_AGENTS: Readonly<Record<DeviceType, readonly string[]>> = {
  desktop: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
  ],
  mobile: [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
  ],
  tablet: [
    'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Linux; Android 12; Lenovo TB-J616F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  ],
};

/**
 * Relative traffic by UTC hour, Monday to Friday and at weekends: quiet nights, a lunchtime
 * bump, the evening peak; weekends start later and stay busy through the afternoon.
 */
export const HOURLY_TRAFFIC: { weekday: readonly number[]; weekend: readonly number[] } = {
  weekday: [
    0.45, 0.32, 0.24, 0.2, 0.2, 0.26, 0.4, 0.62, 0.82, 0.95, 1.0, 1.08, 1.18, 1.12, 1.04, 1.02, 1.08, 1.22,
    1.45, 1.7, 1.85, 1.72, 1.3, 0.8,
  ],
  weekend: [
    0.6, 0.42, 0.3, 0.24, 0.22, 0.24, 0.3, 0.42, 0.62, 0.88, 1.12, 1.3, 1.42, 1.45, 1.42, 1.38, 1.38, 1.45,
    1.6, 1.78, 1.85, 1.72, 1.35, 0.9,
  ],
};
