// The planner's vocabulary: phrases (with synonyms) and what they mean. Phrases are written
// naturally and stemmed when the lexicon is built, so "countries" and "country" are one entry.
// Values of the default producer (countries, devices, referrers, currencies, categories) come
// from the event vocabularies; other values are reached through generic patterns
// ("category X", "country code XX").
import { CATEGORIES } from '../../events/commerceCatalogue.js';
import { CURRENCIES, DEVICE_TYPES, REFERRERS } from '../../events/ecommerceEvent.js';
import type { Sense } from './Sense.js';
import { stem } from './tokenize.js';

type Entry = readonly [phrases: readonly string[], sense: Sense];

const metric = (m: Extract<Sense, { t: 'metric' }>['metric'], extra: Partial<Extract<Sense, { t: 'metric' }>> = {}): Sense => ({
  t: 'metric',
  metric: m,
  ...extra,
});
const value = (column: string, ...values: string[]): Sense => ({ t: 'value', column, values });
const dim = (column: string): Sense => ({ t: 'dim', dim: { kind: 'column', column } });
const unsupported = (topic: string, reason: string, suggestion: string): Sense => ({
  t: 'unsupported',
  topic,
  reason,
  suggestion,
});

const MEASURES: Entry[] = [
  [
    [
      'revenue',
      'sales',
      'gmv',
      'gross merchandise value',
      'money made',
      'money',
      'income',
      'turnover',
      'takings',
      'earnings',
      'total sales',
      'sales amount',
      'sales value',
      'spend',
      'spent',
      'spending',
      'order revenue',
      'purchase value',
      'earned',
      'earn',
      'bring in',
      'brought in',
    ],
    metric('revenue'),
  ],
  [
    ['orders', 'purchases', 'transactions', 'checkouts', 'order count', 'purchase count', 'placed orders'],
    metric('orders', { eventNoun: 'purchase' }),
  ],
  [
    [
      'aov',
      'average order value',
      'avg order value',
      'mean order value',
      'average order',
      'average order size',
      'average spend',
      'average purchase value',
      'average purchase amount',
      'average ticket',
      'average basket value',
      'average cart value',
      'average transaction value',
      'spend per order',
      'revenue per order',
      'order value average',
    ],
    metric('avg_order_value'),
  ],
  [
    [
      'units',
      'units sold',
      'items sold',
      'products sold',
      'quantity sold',
      'sold units',
      'sales volume',
      'volume',
      'purchase volume',
      'pieces sold',
    ],
    metric('units'),
  ],
  [
    [
      'basket size',
      'average basket size',
      'cart size',
      'average cart size',
      'items per order',
      'units per order',
      'items per purchase',
      'quantity per order',
      'quantity per purchase',
    ],
    metric('basket_size'),
  ],
  [
    ['page views', 'pageviews', 'views', 'page view count', 'product views', 'impressions', 'page hits'],
    metric('page_views', { eventNoun: 'page_view' }),
  ],
  [
    [
      'carts',
      'cart adds',
      'cart additions',
      'add to carts',
      'add to cart events',
      'add to cart',
      'adds to cart',
      'basket adds',
      'cart events',
    ],
    metric('cart_adds', { eventNoun: 'add_to_cart' }),
  ],
  [
    ['events', 'traffic', 'activity', 'interactions', 'actions', 'hits', 'event count', 'throughput'],
    metric('events'),
  ],
  [['engagement', 'user engagement', 'user activity'], { t: 'metrics', metrics: ['events', 'active_users'] }],
  [
    [
      'unique users',
      'active users',
      'distinct users',
      'unique visitors',
      'distinct visitors',
      'active visitors',
      'unique people',
      'audience',
    ],
    metric('active_users'),
  ],
  [['dau', 'daus'], metric('active_users', { grain: 'day' })],
  [['wau', 'waus'], metric('active_users', { grain: 'week' })],
  [['mau', 'maus'], metric('active_users', { grain: 'month' })],
  [
    ['users', 'visitors', 'people', 'shoppers', 'persons', 'user count', 'visitor count'],
    metric('active_users', { entity: 'user_id' }),
  ],
  [
    ['customers', 'buyers', 'purchasers', 'paying users', 'paying customers', 'purchasing users', 'buying users'],
    metric('buyers', { entity: 'user_id' }),
  ],
  [['viewers', 'viewing users', 'browsing users'], metric('viewers')],
  [['cart users', 'users adding to cart'], metric('cart_users')],
  [['sessions', 'visits', 'session count'], metric('sessions', { entity: 'session_id' })],
  [
    [
      'conversion',
      'conversion rate',
      'conversions',
      'conversion rates',
      'cvr',
      'convert',
      'converting',
      'converted',
      'purchase rate',
      'visitor to buyer rate',
    ],
    metric('conversion_rate'),
  ],
  [
    [
      'cart abandonment',
      'cart abandonment rate',
      'abandonment',
      'abandonment rate',
      'abandoned carts',
      'abandoned',
      'abandon',
      'abandoning',
      'cart drop off',
      'basket abandonment',
    ],
    metric('abandonment_rate'),
  ],
  [
    [
      'latency',
      'processing latency',
      'processing delay',
      'ingestion latency',
      'ingestion delay',
      'pipeline latency',
      'delay',
      'freshness',
      'lag',
    ],
    metric('latency'),
  ],
  [['raw records', 'raw events', 'kafka records', 'bronze records', 'ingested records'], metric('records')],
];

const ATTRIBUTES: Entry[] = [
  [['price', 'prices', 'unit price', 'price point', 'item price', 'product price', 'priced', 'cost', 'costing', 'expensive', 'pricey'], { t: 'attribute', attribute: 'price' }],
  [['quantity', 'quantities', 'qty', 'number of items', 'item count'], { t: 'attribute', attribute: 'quantity' }],
  [['discount', 'discounts', 'discount amount', 'savings', 'markdown'], { t: 'attribute', attribute: 'discount' }],
  [
    ['order value', 'order values', 'order size', 'order amount', 'basket value', 'cart value', 'ticket size'],
    { t: 'attribute', attribute: 'order_value' },
  ],
];

const AGGREGATES: Entry[] = [
  [['average', 'avg', 'mean', 'typical', 'on average'], { t: 'agg', fn: 'avg' }],
  [['total', 'sum', 'sum of', 'overall', 'combined', 'cumulative', 'aggregate'], { t: 'agg', fn: 'sum' }],
  [['maximum', 'max', 'largest', 'biggest'], { t: 'agg', fn: 'max' }],
  [['minimum', 'min', 'smallest'], { t: 'agg', fn: 'min' }],
  [['median'], { t: 'agg', fn: 'median' }],
  [['distinct', 'unique', 'different', 'individual'], { t: 'agg', fn: 'distinct' }],
  [['count', 'volume of', 'tally'], { t: 'agg', fn: 'count' }],
  [['amount of'], { t: 'agg', fn: 'sum' }],
  [['how many', 'number of', 'count of'], { t: 'howMany' }],
  [['how much'], { t: 'howMuch' }],
];

const DIMENSIONS: Entry[] = [
  [
    [
      'country',
      'countries',
      'nation',
      'market',
      'markets',
      'geography',
      'geo',
      'region',
      'location',
      'country code',
    ],
    dim('country'),
  ],
  [['device', 'device type', 'devices', 'platform', 'platforms', 'device category', 'form factor'], dim('device_type')],
  [
    [
      'referrer',
      'referer',
      'referral',
      'referral source',
      'traffic source',
      'source',
      'channel',
      'marketing channel',
      'acquisition channel',
      'utm source',
      'campaign source',
    ],
    dim('referrer'),
  ],
  [['category', 'product category', 'categories', 'department', 'category id', 'product type'], dim('category_id')],
  [['product', 'item', 'sku', 'product id', 'article', 'merchandise'], dim('product_id')],
  [['currency', 'currencies', 'currency code'], dim('currency')],
  [['event type', 'type of event', 'kind of event', 'funnel step', 'funnel stage', 'event kind'], dim('event_type')],
  [['user id', 'customer id', 'account', 'shopper id'], dim('user_id')],
  [['session id'], dim('session_id')],
  [['user agent', 'browser', 'ua'], dim('ua')],
  [['reason', 'rejection reason', 'error message', 'failure reason'], dim('reason')],
  [
    ['rejection code', 'error code', 'error type', 'issue type', 'kind of issue', 'type of issue', 'error kind', 'code', 'reason code', 'rejection type', 'failure type'],
    { t: 'dim', dim: { kind: 'reason_code' } },
  ],
  [['partition', 'kafka partition', 'source partition'], dim('source_partition')],
  [['topic', 'kafka topic'], dim('topic')],
  [
    ['hour of day', 'hour of the day', 'time of day', 'time of the day', 'hours of the day'],
    { t: 'dim', dim: { kind: 'hour_of_day' } },
  ],
  [
    ['day of week', 'day of the week', 'weekday', 'days of the week', 'week day'],
    { t: 'dim', dim: { kind: 'day_of_week' } },
  ],
];

const GRAINS: Entry[] = [
  [
    [
      'per minute',
      'by minute',
      'by the minute',
      'each minute',
      'every minute',
      'minute by minute',
      'minutely',
      'per min',
      'a minute',
      'minute level',
    ],
    { t: 'grain', grain: 'minute' },
  ],
  [
    ['hourly', 'per hour', 'by hour', 'by the hour', 'each hour', 'every hour', 'hour by hour', 'an hour', 'hour level'],
    { t: 'grain', grain: 'hour' },
  ],
  [['daily', 'per day', 'by day', 'each day', 'every day', 'day by day', 'a day', 'day level'], { t: 'grain', grain: 'day' }],
  [['weekly', 'per week', 'by week', 'each week', 'every week', 'week by week', 'a week'], { t: 'grain', grain: 'week' }],
  [['monthly', 'per month', 'by month', 'each month', 'every month', 'a month'], { t: 'grain', grain: 'month' }],
  [['minute', 'minutes'], { t: 'grainNoun', grain: 'minute' }],
  [['hour', 'hours'], { t: 'grainNoun', grain: 'hour' }],
  [['day', 'days', 'date', 'dates'], { t: 'grainNoun', grain: 'day' }],
  [['week', 'weeks'], { t: 'grainNoun', grain: 'week' }],
  [['month', 'months'], { t: 'grainNoun', grain: 'month' }],
  [
    [
      'trend',
      'trends',
      'over time',
      'time series',
      'timeline',
      'evolution',
      'evolve',
      'evolved',
      'history',
      'historical',
      'progression',
      'trending',
      'changed',
      'change over time',
      'development',
    ],
    { t: 'trend' },
  ],
];

const TIME_WORDS: Entry[] = [
  [['today', 'so far today', 'since midnight', 'this day', 'today so far', 'since the start of the day'], { t: 'time', range: { kind: 'today' } }],
  [['yesterday'], { t: 'time', range: { kind: 'yesterday' } }],
  [['the day before yesterday', 'day before yesterday'], { t: 'time', range: { kind: 'days_ago', days: 2 } }],
  [['this hour', 'the current hour'], { t: 'time', range: { kind: 'this', unit: 'hour' } }],
  [['this week', 'the current week', 'week to date', 'wtd', 'so far this week'], { t: 'time', range: { kind: 'this', unit: 'week' } }],
  [['this month', 'the current month', 'month to date', 'mtd', 'so far this month'], { t: 'time', range: { kind: 'this', unit: 'month' } }],
  [['this year', 'year to date', 'ytd'], { t: 'time', range: { kind: 'this', unit: 'year' } }],
  [['all time', 'ever', 'since the beginning', 'since launch', 'full history', 'all history', 'all data'], { t: 'allTime' }],
];

const RANKS: Entry[] = [
  [['top', 'first', 'leading'], { t: 'rank', direction: 'desc', kind: 'top' }],
  [['bottom'], { t: 'rank', direction: 'asc', kind: 'top' }],
  [
    ['highest first', 'largest first', 'biggest first', 'most first', 'descending', 'in descending order', 'high to low', 'largest to smallest', 'sorted descending'],
    { t: 'rank', direction: 'desc', kind: 'sort' },
  ],
  [
    ['lowest first', 'smallest first', 'least first', 'ascending', 'in ascending order', 'low to high', 'smallest to largest', 'sorted ascending'],
    { t: 'rank', direction: 'asc', kind: 'sort' },
  ],
  [['highest', 'greatest', 'biggest', 'largest', 'peak', 'maximum', 'max', 'higher'], { t: 'rank', direction: 'desc', kind: 'superlative' }],
  [['lowest', 'smallest', 'minimum', 'min', 'lower'], { t: 'rank', direction: 'asc', kind: 'superlative' }],
  [['best', 'strongest', 'top performing', 'best performing', 'better'], { t: 'rank', direction: 'desc', kind: 'judgement' }],
  [['worst', 'weakest', 'worst performing', 'poorest', 'worse'], { t: 'rank', direction: 'asc', kind: 'judgement' }],
  [['most', 'the most', 'more'], { t: 'rank', direction: 'desc', kind: 'quantity' }],
  [['least', 'fewest', 'the least', 'the fewest', 'less', 'fewer'], { t: 'rank', direction: 'asc', kind: 'quantity' }],
  [
    ['bestselling', 'best selling', 'best sellers', 'best seller', 'top selling', 'top sellers', 'top seller', 'most sold', 'sold the most', 'sell the most', 'sells the most', 'most popular', 'popular'],
    { t: 'rankMetric', measure: { kind: 'metric', metric: 'units' }, direction: 'desc' },
  ],
  [
    ['worst selling', 'least sold', 'least popular', 'sold the least', 'sell the least', 'slowest selling', 'slow movers', 'slow moving'],
    { t: 'rankMetric', measure: { kind: 'metric', metric: 'units' }, direction: 'asc' },
  ],
  [['most viewed', 'most visited', 'most browsed', 'most looked at'], { t: 'rankMetric', measure: { kind: 'metric', metric: 'page_views' }, direction: 'desc' }],
  [['least viewed', 'least visited'], { t: 'rankMetric', measure: { kind: 'metric', metric: 'page_views' }, direction: 'asc' }],
  [['most added to cart', 'most carted'], { t: 'rankMetric', measure: { kind: 'metric', metric: 'cart_adds' }, direction: 'desc' }],
  [['busiest', 'most active', 'most engaged', 'heaviest'], { t: 'rankMetric', measure: { kind: 'metric', metric: 'events' }, direction: 'desc' }],
  [['quietest', 'least active', 'least busy', 'slowest'], { t: 'rankMetric', measure: { kind: 'metric', metric: 'events' }, direction: 'asc' }],
  [['most expensive', 'priciest', 'highest priced', 'dearest'], { t: 'rankMetric', measure: { kind: 'aggregate', fn: 'avg', attribute: 'price' }, direction: 'desc' }],
  [['cheapest', 'least expensive', 'lowest priced', 'most affordable'], { t: 'rankMetric', measure: { kind: 'aggregate', fn: 'avg', attribute: 'price' }, direction: 'asc' }],
];

const SCOPES: Entry[] = [
  [
    ['purchased', 'bought', 'sold', 'ordered', 'checked out', 'paid', 'purchase events', 'purchasing', 'buying', 'buy', 'sell', 'selling'],
    { t: 'scope', eventType: 'purchase' },
  ],
  [
    ['added to cart', 'added to basket', 'added to the cart', 'added to their cart', 'put in cart', 'put in the cart', 'carted', 'add to cart events', 'added'],
    { t: 'scope', eventType: 'add_to_cart' },
  ],
  [['viewed', 'seen', 'looked at', 'browsed', 'page view events', 'viewing'], { t: 'scope', eventType: 'page_view' }],
];

const COUNTRY_NAMES: readonly (readonly [code: string, names: readonly string[]])[] = [
  ['US', ['usa', 'united states', 'united states of america', 'america', 'american', 'americans', 'the states', 'us market']],
  ['UK', ['uk', 'united kingdom', 'britain', 'great britain', 'england', 'british', 'gb', 'scotland', 'wales']],
  ['CA', ['canada', 'canadian', 'canadians']],
  ['DE', ['germany', 'german', 'germans', 'deutschland']],
  ['FR', ['france', 'french']],
  ['ES', ['spain', 'spanish']],
  ['IT', ['italy', 'italian']],
  ['NL', ['netherlands', 'holland', 'dutch']],
  ['BE', ['belgium', 'belgian']],
  ['IE', ['ireland', 'irish']],
  ['PT', ['portugal', 'portuguese']],
  ['AT', ['austria', 'austrian']],
  ['CH', ['switzerland', 'swiss']],
  ['SE', ['sweden', 'swedish']],
  ['NO', ['norway', 'norwegian']],
  ['DK', ['denmark', 'danish']],
  ['FI', ['finland', 'finnish']],
  ['PL', ['poland', 'polish']],
  ['AU', ['australia', 'australian']],
  ['NZ', ['new zealand']],
  ['JP', ['japan', 'japanese']],
  ['CN', ['china', 'chinese']],
  ['IN', ['india', 'indian']],
  ['BR', ['brazil', 'brazilian']],
  ['MX', ['mexico', 'mexican']],
  ['AR', ['argentina']],
  ['ZA', ['south africa']],
  ['KR', ['south korea', 'korea']],
  ['SG', ['singapore']],
];

/** Two-letter country codes matched only when written in capitals (so "us" the pronoun stays a word). */
const CAPITAL_CODES = ['US', 'CA', 'DE', 'FR', 'ES', 'NL', 'JP', 'AU', 'IE', 'BR', 'MX'];

const CATEGORY_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  electronics: ['electronic', 'gadgets'],
  computers: ['computer category', 'laptops and computers'],
  phones: ['phones category', 'phone category', 'smartphones category'],
  home_kitchen: ['home and kitchen', 'home & kitchen', 'kitchen', 'home kitchen', 'homeware'],
  furniture: ['furnishings'],
  garden: ['gardening', 'garden products'],
  toys: ['toy', 'toys and games'],
  books: ['book'],
  music: ['music category'],
  video_games: ['video games', 'games', 'gaming', 'video game'],
  womens_fashion: ['women fashion', 'womens fashion', 'women clothing', 'womenswear', 'ladies fashion'],
  mens_fashion: ['men fashion', 'mens fashion', 'men clothing', 'menswear'],
  shoes: ['footwear', 'shoe'],
  beauty: ['cosmetics', 'beauty products'],
  health: ['health products', 'wellness'],
  sports: ['sport', 'sporting goods', 'sports equipment'],
  outdoors: ['outdoor', 'outdoor gear'],
  automotive: ['car parts', 'auto'],
  grocery: ['groceries', 'food'],
  pet_supplies: ['pet supplies', 'pets', 'pet', 'pet products'],
};

const VALUES: Entry[] = [
  ...COUNTRY_NAMES.map(([code, names]): Entry => [names, value('country', code)]),
  [['mobile', 'phone', 'phones', 'smartphone', 'smartphones', 'mobile phone', 'mobile phones', 'cell phone', 'mobile device', 'mobile devices', 'iphone', 'android'], value('device_type', 'mobile')],
  [['desktop', 'desktops', 'pc', 'pcs', 'laptop', 'laptops', 'desktop computer', 'desktop computers', 'web desktop'], value('device_type', 'desktop')],
  [['tablet', 'tablets', 'ipad', 'ipads'], value('device_type', 'tablet')],
  ...DEVICE_TYPES.map((d): Entry => [[d], value('device_type', d)]),
  [['google', 'google search'], value('referrer', 'google')],
  [['direct', 'direct traffic', 'typed in'], value('referrer', 'direct')],
  [['facebook', 'fb', 'meta'], value('referrer', 'facebook')],
  [['email', 'emails', 'newsletter', 'newsletters', 'email campaign', 'email campaigns'], value('referrer', 'email')],
  [['instagram', 'insta', 'ig'], value('referrer', 'instagram')],
  [['bing'], value('referrer', 'bing')],
  [['affiliate', 'affiliates', 'partners', 'affiliate links'], value('referrer', 'affiliate')],
  [['social', 'social media', 'social networks'], value('referrer', 'facebook', 'instagram')],
  [['search', 'search engines', 'search engine', 'organic search', 'organic'], value('referrer', 'google', 'bing')],
  ...REFERRERS.map((r): Entry => [[r], value('referrer', r)]),
  [['euro', 'euros', 'eur'], value('currency', 'EUR')],
  [['dollar', 'dollars', 'usd', 'us dollars', 'us dollar'], value('currency', 'USD')],
  [['canadian dollars', 'canadian dollar', 'cad'], value('currency', 'CAD')],
  [['pound', 'pounds', 'gbp', 'sterling', 'pounds sterling', 'british pounds'], value('currency', 'GBP')],
  ...CURRENCIES.map((c): Entry => [[c.toLowerCase()], value('currency', c)]),
  ...CATEGORIES.map((c): Entry => [[c.id, c.id.replaceAll('_', ' '), ...(CATEGORY_SYNONYMS[c.id] ?? [])], value('category_id', c.id)]),
  [['page_view'], value('event_type', 'page_view')],
  [['add_to_cart'], value('event_type', 'add_to_cart')],
  [['purchase events', 'purchase'], { t: 'scope', eventType: 'purchase' }],
];

const FUNCTION_WORDS: Entry[] = [
  [['by', 'ordered by', 'sorted by', 'sort by', 'ranked by', 'rank by', 'broken down by', 'break down by', 'breakdown by', 'split by', 'grouped by', 'group by', 'segmented by', 'sliced by', 'broken out by', 'by their', 'by the'], { t: 'by' }],
  [['per'], { t: 'per' }],
  [['each', 'every', 'for each', 'for every', 'individual'], { t: 'each' }],
  [['not', 'excluding', 'exclude', 'except', 'except for', 'without', 'other than', 'non', 'outside', 'outside of', 'apart from', 'besides', 'ignoring', 'minus', 'no'], { t: 'negate' }],
  [['only', 'just', 'exclusively', 'solely', 'limited to', 'restricted to', 'filter to', 'filtered to', 'filter on', 'filter by', 'restrict to'], { t: 'only' }],
  [['also', 'too', 'as well', 'in addition', 'additionally', 'along with', 'plus', 'as well as', 'together with', 'add'], { t: 'also' }],
  [['instead', 'instead of', 'rather than', 'switch to', 'change to', 'replace with'], { t: 'instead' }],
  [['what about', 'how about', 'and what about', 'and how about', 'now', 'same', 'same for', 'same thing', 'the same', 'then', 'ok', 'okay', 'what if', 'again'], { t: 'followup' }],
  [['it', 'those', 'them', 'these'], { t: 'ref' }],
  [['right now', 'at the moment', 'active now', 'online now', 'currently online'], { t: 'time', range: { kind: 'last', amount: 5, unit: 'minute' } }],
  [['in order', 'why', 'so far', 'that', 'this', 'in general'], { t: 'stop' }],
  [['but', 'and now', 'and also'], { t: 'followup' }],
  [['all', 'any', 'every single', 'all of the'], { t: 'all' }],
  [['in total', 'altogether', 'all together', 'grand total', 'in aggregate', 'without the breakdown', 'without breakdown', 'no breakdown', 'as a single number', 'one number'], { t: 'collapse' }],
  [['show all', 'all rows', 'no limit', 'everything', 'all of them', 'the full list', 'full list', 'all results'], { t: 'showAll' }],
  [['remove', 'drop', 'clear', 'reset', 'remove the filter', 'drop the filter', 'no filter', 'no filters', 'without filter', 'without filters', 'unfiltered', 'remove filters', 'clear filters'], { t: 'remove' }],
  [['where', 'filter', 'filtered', 'whose', 'that have', 'which have', 'with a', 'having'], { t: 'filterWord' }],
  [['compare', 'compared', 'comparing', 'comparison', 'vs', 'versus', 'against', 'compared to', 'compared with', 'relative to'], { t: 'compare' }],
  [['correlation', 'correlated', 'correlate', 'relationship', 'relation', 'association'], { t: 'corr' }],
  [['which', 'what', 'who', 'whats'], { t: 'wh' }],
  [['over', 'above', 'more than', 'greater than', 'higher than', 'exceeding', 'bigger than', 'larger than', 'at least', '>', 'upwards of', 'in excess of'], { t: 'cmp', op: '>' }],
  [['under', 'below', 'less than', 'lower than', 'smaller than', 'at most', '<', 'up to', 'cheaper than'], { t: 'cmp', op: '<' }],
  [['equal to', 'exactly', 'equals', '='], { t: 'cmp', op: '=' }],
  [['discounted', 'with a discount', 'with discount', 'with discounts', 'on sale', 'on promotion', 'promotional'], { t: 'discounted', has: true }],
  [['full price', 'without a discount', 'without discount', 'without discounts', 'undiscounted', 'no discount'], { t: 'discounted', has: false }],
  [['of', 'for', 'from', 'in', 'on', 'among', 'across', 'to', 'with', 'within', 'during', 'at', 'via', 'through', 'using', 'into', 'between'], { t: 'prep', word: '' }],
  [['and', 'or', '&', 'plus'], { t: 'and' }],
];

const TABLES: Entry[] = [
  [['silver', 'silver events', 'silver table', 'silver layer', 'events table', 'clean events'], { t: 'table', table: 'silver_events' }],
  [['gold', 'gold kpis', 'gold table', 'gold layer', 'kpi table', 'kpis table', 'kpi windows', 'kpis', 'kpi'], { t: 'table', table: 'gold_kpis' }],
  [['bronze', 'bronze events', 'bronze table', 'bronze layer', 'raw table'], { t: 'table', table: 'bronze_events' }],
  [['quarantine', 'quarantine table', 'quarantine events', 'quarantined', 'quarantined events', 'quarantined records', 'dead letter', 'dead letters', 'dlq'], { t: 'table', table: 'quarantine_events' }],
  [
    [
      'data quality',
      'quality',
      'data quality issues',
      'quality issues',
      'bad data',
      'bad records',
      'bad events',
      'invalid',
      'invalid events',
      'invalid records',
      'malformed',
      'malformed events',
      'malformed records',
      'rejected',
      'rejects',
      'rejections',
      'rejected events',
      'rejected records',
      'validation errors',
      'validation failures',
      'failed validation',
      'failed records',
      'corrupt',
      'corrupted',
      'broken records',
      'parse errors',
      'parsing errors',
      'data issues',
      'data problems',
      'issues',
      'problems',
      'errors',
      'error',
      'anomalies in the data',
    ],
    { t: 'quality' },
  ],
];

const UNSUPPORTED: Entry[] = [
  [['refund', 'refunds', 'refunded', 'returns', 'return rate', 'returned items', 'returned products', 'product returns', 'chargebacks'], unsupported('returns', 'the events have no returns or refunds (only page views, add-to-cart and purchases)', 'Which products have the highest cart abandonment rate?')],
  [['profit', 'profits', 'margin', 'margins', 'costs', 'our costs', 'cost of goods', 'cogs', 'profitability'], unsupported('profit', 'the events carry prices but no costs, so profit and margins cannot be computed', 'Which product categories drive the most revenue?')],
  [['inventory', 'stock level', 'stock levels', 'in stock', 'out of stock', 'stockouts', 'warehouse'], unsupported('inventory', 'the lakehouse has no inventory data', 'What are the top 10 bestselling products today?')],
  [['churn', 'retention', 'cohort', 'cohorts', 'lifetime value', 'ltv', 'clv', 'returning customers', 'returning users', 'new customers', 'new users', 'first time', 'repeat customers', 'repeat purchase'], unsupported('retention', 'cohort, retention and new-versus-returning questions need user history the embedded planner does not model', 'Daily active users over the last week')],
  [['time between', 'time to purchase', 'time to convert', 'session duration', 'session length', 'time on site', 'dwell time', 'time spent', 'how long'], unsupported('durations', 'durations between events need per-user sequencing, which the embedded planner does not generate', 'Show me hourly conversion rates for the past week')],
  [['bounce', 'bounce rate', 'bounces', 'exit rate'], unsupported('bounce rate', 'bounce and exit rates are not defined in the glossary', 'Show me user engagement by device type')],
  [['forecast', 'forecasting', 'predict', 'prediction', 'predicted', 'projection', 'next week', 'next month', 'tomorrow', 'will be', 'going to'], unsupported('forecasts', 'the planner reports what happened; it does not forecast', "What's our revenue trend in the last 24 hours?")],
  [['anomaly', 'anomalies', 'outlier', 'outliers', 'unusual', 'spike', 'spikes', 'fraud', 'suspicious'], unsupported('anomalies', 'anomaly detection is not part of the embedded planner', 'How many events per minute are we processing?')],
  [['declining', 'decline', 'declined', 'growing', 'growth', 'grew', 'increase', 'increased', 'increasing', 'decrease', 'decreased', 'decreasing', 'drop in', 'week over week', 'month over month', 'year over year', 'yoy', 'wow'], unsupported('growth', 'growth and decline need two periods compared side by side, which the embedded planner does not generate yet', 'Daily revenue over the last week')],
  [['service', 'services', 'microservice', 'endpoint', 'api errors', 'http errors', 'status code', 'error rate', 'error rates'], unsupported('services', 'the lakehouse has no per-service error or request data; data-quality rejections are in quarantine_events', 'Are there any data quality issues in the last hour?')],
  [['weather', 'temperature', 'rain', 'forecasted', 'stock price', 'share price', 'stock market', 'bitcoin', 'crypto', 'news', 'joke', 'poem', 'recipe', 'capital of', 'president', 'meaning of life'], unsupported('off-topic', 'the question is not about the shop data in the lakehouse', "What's our revenue trend in the last 24 hours?")],
  [['age', 'gender', 'city', 'cities', 'zip', 'postcode', 'postal code', 'state', 'states', 'province', 'demographics', 'income level'], unsupported('demographics', 'the events record a country but no city, state or demographics', 'Show me revenue by country today')],
  [['payment method', 'payment methods', 'credit card', 'paypal', 'shipping', 'delivery', 'coupon', 'coupon code', 'promo code', 'voucher', 'rating', 'ratings', 'review', 'reviews', 'search term', 'search terms', 'keyword', 'keywords', 'campaign', 'campaigns', 'ad spend', 'roas', 'cac', 'clicks', 'click through rate', 'ctr'], unsupported('missing fields', 'the events have no such field', 'Number of purchases per referrer in the last 7 days')],
  [['insert', 'update', 'delete', 'drop table', 'truncate', 'create table', 'alter', 'write', 'modify'], unsupported('writes', 'the assistant only reads the lakehouse', 'Show me revenue by country today')],
];

const STOPWORDS = [
  'a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does', 'did', 'done', 'doing',
  'have', 'has', 'had', 'having', 'me', 'my', 'i', 'we', 'our', 'ours', 'us', 'you', 'your', 'they', 'their', 'he',
  'she', 'its', 'there', 'here', 'show', 'shows', 'showing', 'give', 'gives', 'get', 'gets', 'got', 'list', 'display',
  'tell', 'find', 'see', 'look', 'looking', 'view', 'let', 'lets', 'please', 'can', 'could', 'would', 'should', 'will',
  'shall', 'may', 'might', 'must', 'want', 'need', 'like', 'know', 'how', 'much', 'many', 'when', 'so', 'far', 'than',
  'as', 'about', 'up', 'down', 'out', 'off', 'into', 'onto', 'some', 'several', 'if', 'whether', 'currently', 'current',
  'right', 'now', 'recent', 'recently', 'happening', 'happen', 'happened', 'going', 'go', 'went', 'come', 'came',
  'coming', 'make', 'makes', 'making', 'bring', 'brings', 'brought', 'bringing', 'drive', 'drives', 'driving', 'drove',
  'generate', 'generates', 'generated', 'generating', 'produce', 'produced', 'produces', 'place', 'placed', 'visit',
  'visited', 'visiting', 'processing', 'process', 'processed', 'handle', 'handled', 'handling', 'receive', 'received',
  'receiving', 'ingest', 'ingested', 'record', 'recorded', 'track', 'tracked', 'measure', 'measured', 'data', 'number',
  'numbers', 'figure', 'figures', 'stat', 'stats', 'statistics', 'metric', 'metrics', 'kpi', 'report', 'summary',
  'overview', 'breakdown', 'distribution', 'split', 'chart', 'graph', 'plot', 'table', 'visualize', 'visualise',
  'rate', 'rates', 'level', 'levels', 'amount', 'value', 'values', 'performance', 'perform', 'performing', 'doing',
  'currently', 'live', 'real', 'time', 'realtime', 'moment', 'period', 'range', 'window', 'windows', 'so', 'far', 'yet',
  'there', 'any', 'some', 'did', 'our', 'site', 'store', 'shop', 'website', 'app', 'platform', 'business', 'company',
  'e', 'commerce', 'ecommerce', 'online', 'total', 'whole', 'entire', 'overall', 'altogether', 'in', 'general',
  'roughly', 'approximately', 'around', 'about', 'exact', 'exactly', 'precisely', 'happen', 'occur', 'occurred',
  'occurring', 'take', 'took', 'taken', 'taking', 'sort', 'sorted', 'order', 'ordering', 'rank', 'ranked', 'ranking',
  'highest', 'first', 'descending', 'ascending', 'desc', 'asc', 'versus', 'broken', 'break', 'drill', 'zoom', 'group',
  'grouped', 'also', 'please', 'thanks', 'thank', 'hey', 'hi', 'hello', 'quick', 'quickly', 'just', 'question',
  'interested', 'wondering', 'curious', 'check', 'query', 'sql', 'run', 'compute', 'calculate', 'count', 'sum',
  'best', 'product', 'level', 'those', 'volume', 'across', 'were', 'been', 'things', 'thing', 'stuff', 'lot', 'lots',
  'really', 'very', 'pretty', 'quite', 'actually', 'basically', 'top', 'results', 'result', 'answer', 'info',
  'information', 'detail', 'details', 'kind', 'type', 'types', 'sort', 'which', 'where', 'including', 'include',
  'per', 'each', 'every', 'did', 'happened', 'trend', 'over', 'last', 'past', 'previous', 'since', 'until', 'till',
  'before', 'after', 'ago', 'between', 'from', 'to', 'through', 'like', 'similar', 'look', 'dashboard', 'monitor',
  'monitoring', 'currently', 'right', 'now', 'being', 'used', 'use', 'using', 'done', 'spent', 'time',
];

/** A lexicon entry keyed by its first stem: the whole phrase's stems and its sense. */
export interface LexiconEntry {
  stems: readonly string[];
  sense: Sense;
  /** Match the original text exactly (two-letter codes in capitals). */
  exact: boolean;
}

function phraseStems(phrase: string): string[] {
  return phrase
    .toLowerCase()
    .replaceAll("'", '')
    .split(/[\s-]+/)
    .filter((w) => w.length > 0)
    .map((w) => (/^[a-z]+$/.test(w) ? stem(w) : w));
}

function buildLexicon(): ReadonlyMap<string, readonly LexiconEntry[]> {
  const map = new Map<string, LexiconEntry[]>();
  const add = (stems: string[], sense: Sense, exact: boolean) => {
    const first = stems[0];
    if (first === undefined) return;
    const list = map.get(first) ?? [];
    list.push({ stems, sense, exact });
    map.set(first, list);
  };
  const groups = [
    MEASURES,
    ATTRIBUTES,
    AGGREGATES,
    DIMENSIONS,
    GRAINS,
    TIME_WORDS,
    RANKS,
    SCOPES,
    VALUES,
    TABLES,
    UNSUPPORTED,
    FUNCTION_WORDS,
  ];
  for (const group of groups)
    for (const [phrases, sense] of group) for (const phrase of phrases) add(phraseStems(phrase), sense, false);
  for (const code of CAPITAL_CODES) {
    const name = COUNTRY_NAMES.find(([c]) => c === code);
    if (name) add([code.toLowerCase()], value('country', code), true);
  }
  // Longest phrase first; among equals, the earlier group wins (measures before function words).
  for (const list of map.values()) list.sort((a, b) => b.stems.length - a.stems.length);
  return map;
}

/** Phrases by their first stem, longest first. */
export const LEXICON: ReadonlyMap<string, readonly LexiconEntry[]> = buildLexicon();

/** Words that carry no meaning for the planner (stemmed like the lexicon). */
export const STOP_STEMS: ReadonlySet<string> = new Set(STOPWORDS.map((w) => stem(w)));
