// The answer's rows as a table: click a header to sort (numbers as numbers, empty last),
// pages of 25 rows, and the total row count of the query.
import { Widget } from '@lumino/widgets';
import { cellText } from './answerBundle';
import type { Answer } from './contract';
import { formatNumber, h } from './h';

const PAGE_SIZES = [10, 25, 100];

export class AnswerTable extends Widget {
  private sortColumn: string | undefined;
  private descending = false;
  private page = 0;
  private pageSize = 25;
  private order: number[];

  constructor(private readonly answer: Answer) {
    super();
    this.addClass('rtl-AnswerTable');
    this.order = answer.rows.map((_, i) => i);
    this.draw();
  }

  /** Sorts by a column (again: flips the direction). */
  sortBy(column: string): void {
    this.descending = this.sortColumn === column ? !this.descending : false;
    this.sortColumn = column;
    const rows = this.answer.rows;
    const sign = this.descending ? -1 : 1;
    this.order.sort((a, b) => sign * compare(rows[a]?.[column], rows[b]?.[column]) || a - b);
    this.page = 0;
    this.draw();
  }

  private draw(): void {
    const { columns, rows } = this.answer;
    const pages = Math.max(1, Math.ceil(rows.length / this.pageSize));
    this.page = Math.min(this.page, pages - 1);
    const start = this.page * this.pageSize;
    const visible = this.order.slice(start, start + this.pageSize);
    const head = h(
      'tr',
      {},
      ...columns.map((c) => {
        const sorted = this.sortColumn === c.name;
        return h(
          'th',
          {
            title: `${c.type} — click to sort`,
            'aria-sort': sorted ? (this.descending ? 'descending' : 'ascending') : 'none',
            onclick: () => this.sortBy(c.name),
          },
          c.name,
          sorted ? (this.descending ? ' ▼' : ' ▲') : '',
        );
      }),
    );
    const body = visible.map((i) =>
      h(
        'tr',
        {},
        ...columns.map((c) => {
          const value = rows[i]?.[c.name];
          return h('td', { class: typeof value === 'number' ? 'rtl-num' : undefined }, formatCell(value));
        }),
      ),
    );
    const total = this.answer.totalRows ?? this.answer.rowCount;
    const end = Math.min(start + this.pageSize, rows.length);
    const summary =
      rows.length === 0
        ? 'No rows'
        : `Rows ${formatNumber(start + 1)}–${formatNumber(end)} of ${formatNumber(total)}` +
          (total > rows.length ? ` (${formatNumber(rows.length)} loaded)` : '');
    const pageSize = h(
      'select',
      {
        'aria-label': 'Rows per page',
        onchange: (e: Event) => {
          this.pageSize = Number((e.target as HTMLSelectElement).value);
          this.page = 0;
          this.draw();
        },
      },
      ...PAGE_SIZES.map((n) => h('option', { value: n, selected: n === this.pageSize }, `${n} / page`)),
    );
    this.node.replaceChildren(
      h(
        'div',
        { class: 'rtl-AnswerTable-scroll' },
        h('table', {}, h('thead', {}, head), h('tbody', {}, ...body)),
      ),
      h(
        'div',
        { class: 'rtl-AnswerTable-pager' },
        h('span', { class: 'rtl-AnswerTable-count', 'data-testid': 'row-count' }, summary),
        h('span', { class: 'rtl-spacer' }),
        h(
          'button',
          {
            class: 'jp-mod-styled',
            disabled: this.page === 0,
            'aria-label': 'Previous page',
            onclick: () => {
              this.page--;
              this.draw();
            },
          },
          '‹',
        ),
        h('span', {}, ` page ${this.page + 1} of ${pages} `),
        h(
          'button',
          {
            class: 'jp-mod-styled',
            disabled: this.page >= pages - 1,
            'aria-label': 'Next page',
            onclick: () => {
              this.page++;
              this.draw();
            },
          },
          '›',
        ),
        pageSize,
      ),
    );
  }
}

function compare(a: unknown, b: unknown): number {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (empty(a) || empty(b)) return empty(a) === empty(b) ? 0 : empty(a) ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = Number(a);
  const nb = Number(b);
  if (
    typeof a !== 'boolean' &&
    Number.isFinite(na) &&
    Number.isFinite(nb) &&
    String(a).trim() &&
    String(b).trim()
  ) {
    return na - nb;
  }
  return cellText(a).localeCompare(cellText(b));
}

function formatCell(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatNumber(value, 4);
  return cellText(value);
}
