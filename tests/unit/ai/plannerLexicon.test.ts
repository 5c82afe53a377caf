import { type Plan, planQuestion } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { LAKEHOUSE_TABLES } from './lakehouseTables.js';

function plan(question: string): Plan {
  const r = planQuestion(question, { tables: LAKEHOUSE_TABLES, conversation: [] });
  if (!r.success) throw new Error(`planner refused ${JSON.stringify(question)}: ${r.reason}`);
  return r.plan;
}

/** The measure of a one-measure question, as `metric` or `fn(attribute)`. */
function measureOf(question: string): string {
  const m = plan(question).measures;
  return m
    .map((x) => {
      switch (x.kind) {
        case 'metric':
          return x.metric;
        case 'aggregate':
          return `${x.fn}(${x.attribute})`;
        case 'distinct':
          return `distinct(${x.column})`;
        case 'per':
          return `${x.metric}/${x.per}`;
        default:
          return `corr(${x.x},${x.y})`;
      }
    })
    .join(' + ');
}

const valuesOf = (question: string) =>
  plan(question).filters.flatMap((f) =>
    f.kind === 'values' ? [`${f.column}${f.negated ? '!=' : '='}${f.values.join('|')}`] : [],
  );

describe('measures and their synonyms', () => {
  const cases: [string[], string][] = [
    [
      [
        'revenue today',
        'sales today',
        'GMV today',
        'money made today',
        'how much did we earn today',
        'turnover today',
      ],
      'revenue',
    ],
    [
      [
        'orders today',
        'number of purchases today',
        'how many transactions today',
        'count of checkouts today',
      ],
      'orders',
    ],
    [
      [
        'AOV by country',
        'average order value by country',
        'average spend by country',
        'average revenue by country',
        'mean order value by country',
      ],
      'avg_order_value',
    ],
    [
      [
        'unique users today',
        'how many visitors today',
        'active users today',
        'how many people today',
        'distinct users today',
      ],
      'active_users',
    ],
    [['conversion today', 'conversion rate today', 'how well do visitors convert today'], 'conversion_rate'],
    [
      ['cart abandonment by product', 'abandonment rate by product', 'abandoned carts by product'],
      'abandonment_rate',
    ],
    [
      ['basket size', 'average basket size', 'items per order', 'average quantity per purchase'],
      'basket_size',
    ],
    [['page views today', 'views today', 'pageviews today'], 'page_views'],
    [['carts today', 'add to cart events today', 'cart additions today'], 'cart_adds'],
    [['sessions today', 'how many visits today'], 'sessions'],
    [['events today', 'traffic today', 'activity today'], 'events'],
    [
      [
        'units sold today',
        'items sold today',
        'top selling products',
        'best sellers this week',
        'most sold products',
      ],
      'units',
    ],
    [['average price by category', 'mean unit price by category'], 'avg(price)'],
    [['total discount by country', 'sum of discounts by country'], 'sum(discount)'],
    [['largest order today', 'biggest order today'], 'max(order_value)'],
    [['median order value'], 'median(order_value)'],
    [['how many distinct products were viewed', 'number of unique products viewed'], 'distinct(product_id)'],
    [['revenue per user', 'average revenue per visitor'], 'revenue/user'],
    [['processing latency', 'ingestion delay'], 'latency'],
    [['data quality issues', 'rejected records', 'bad data today', 'quarantined events'], 'quarantined'],
    [['raw records by kafka partition'], 'records'],
  ];
  for (const [questions, expected] of cases)
    it(`${questions[0]} … → ${expected}`, () => {
      for (const q of questions) expect(measureOf(q), q).toBe(expected);
    });

  it('engagement is events and users', () => {
    expect(measureOf('user engagement by device type')).toBe('events + active_users');
  });
});

describe('filter values and their aliases', () => {
  it('maps country names and aliases to the codes the data uses', () => {
    expect(valuesOf('revenue in Germany')).toEqual(['country=DE']);
    for (const name of ['Britain', 'the United Kingdom', 'England', 'GB', 'the UK', 'great britain'])
      expect(valuesOf(`revenue in ${name}`), name).toEqual(['country=UK']);
    for (const name of ['the USA', 'America', 'the United States', 'the US', 'the U.S.'])
      expect(valuesOf(`revenue in ${name}`), name).toEqual(['country=US']);
    expect(valuesOf('revenue in Canada and France')).toEqual(['country=CA|FR']);
    expect(valuesOf('revenue in Japan')).toEqual(['country=JP']);
  });

  it('does not read the pronoun "us" as a country', () => {
    expect(valuesOf('show us revenue by device')).toEqual([]);
  });

  it('maps devices, referrers, currencies and categories', () => {
    expect(valuesOf('orders on phones')).toEqual(['device_type=mobile']);
    expect(valuesOf('orders from tablets and desktops')).toEqual(['device_type=tablet|desktop']);
    expect(valuesOf('orders from the newsletter')).toEqual(['referrer=email']);
    expect(valuesOf('orders from social media')).toEqual(['referrer=facebook|instagram']);
    expect(valuesOf('revenue in euros')).toEqual(['currency=EUR']);
    expect(valuesOf('revenue in canadian dollars')).toEqual(['currency=CAD']);
    expect(valuesOf('revenue in pounds')).toEqual(['currency=GBP']);
    expect(valuesOf("revenue from women's fashion")).toEqual(['category_id=womens_fashion']);
    expect(valuesOf('revenue in the video games category')).toEqual(['category_id=video_games']);
    expect(valuesOf('revenue in the gizmos category')).toEqual(['category_id=gizmos']);
    expect(valuesOf('revenue of prod_0042')).toEqual(['product_id=prod_0042']);
  });

  it('negates values after not / excluding / except / non', () => {
    expect(valuesOf('revenue excluding the US')).toEqual(['country!=US']);
    expect(valuesOf('revenue not from google or bing')).toEqual(['referrer!=google|bing']);
    expect(valuesOf('non-mobile revenue')).toEqual(['device_type!=mobile']);
  });

  it('reads event types said as verbs as a filter', () => {
    expect(valuesOf('average price of products added to cart')).toEqual(['event_type=add_to_cart']);
    expect(valuesOf('how many distinct products were viewed')).toEqual(['event_type=page_view']);
  });
});

describe('dimensions and ranking words', () => {
  const dims = (q: string) =>
    plan(q).dimensions.map((d) =>
      d.kind === 'column' ? d.column : d.kind === 'time' ? `time:${d.grain}` : d.kind,
    );
  it('groups by the dimensions said with by / per / which / each', () => {
    expect(dims('revenue by platform')).toEqual(['device_type']);
    expect(dims('orders per referrer')).toEqual(['referrer']);
    expect(dims('which product categories drive the most revenue')).toEqual(['category_id']);
    expect(dims('revenue for each currency')).toEqual(['currency']);
    expect(dims('revenue by country and device')).toEqual(['country', 'device_type']);
    expect(dims('top 10 customers by revenue')).toEqual(['user_id']);
    expect(dims('orders by hour of the day')).toEqual(['hour_of_day']);
    expect(dims('revenue by day of week')).toEqual(['day_of_week']);
  });

  it('reads time buckets from adverbs, "per" and "trend"', () => {
    expect(dims('hourly revenue today')).toEqual(['time:hour']);
    expect(dims('daily active users')).toEqual(['time:day']);
    expect(dims('orders per minute')).toEqual(['time:minute']);
    expect(dims('weekly revenue')).toEqual(['time:week']);
    expect(dims('DAU this month')).toEqual(['time:day']);
    expect(dims('revenue trend in the last 2 hours')).toEqual(['time:minute']);
    expect(dims('revenue trend in the last 2 days')).toEqual(['time:hour']);
    expect(dims('revenue over time')).toEqual(['time:day']);
  });

  it('orders and cuts rankings', () => {
    const r = (q: string) => {
      const p = plan(q);
      return `${p.order?.by === 'measure' ? p.order.direction : (p.order?.by ?? 'none')} ${p.limit ?? 'all'}`;
    };
    expect(r('top 5 countries by revenue')).toBe('desc 5');
    expect(r('bottom 3 categories by orders')).toBe('asc 3');
    expect(r('top products by revenue')).toBe('desc 10');
    expect(r('which country has the lowest conversion rate')).toBe('asc 1');
    expect(r('which countries have the lowest conversion rate')).toBe('asc all');
    expect(r('the 5 countries with the most page views')).toBe('desc 5');
    expect(r('which 3 products have the worst cart abandonment')).toBe('desc 3');
    expect(r('worst referrers by revenue')).toBe('asc all');
    expect(r('revenue per category, highest first')).toBe('desc all');
    expect(r('revenue by country')).toBe('desc all');
    expect(r('revenue by day')).toBe('dimensions all');
  });
});
