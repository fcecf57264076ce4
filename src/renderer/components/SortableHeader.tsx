import type { SortOrder } from '../../shared/model.ts';

export interface SortColumn<K extends string> {
  label: string;
  /** Sortable columns carry their sort key. */
  sort?: K;
  numeric?: boolean;
}

/** Column headers whose sortable ones are buttons, with `aria-sort` on the sorted column. */
export function SortableHeader<K extends string>({
  columns,
  sort,
  order,
  onSort,
}: {
  columns: Array<SortColumn<K>>;
  sort: K | undefined;
  order: SortOrder;
  onSort: (sort: K, order: SortOrder) => void;
}) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const sorted = column.sort !== undefined && column.sort === sort;
          return (
            <th
              key={column.label}
              scope="col"
              className={column.numeric ? 'num' : undefined}
              aria-sort={sorted ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {column.sort ? (
                <button
                  type="button"
                  className="sort-button"
                  onClick={() => onSort(column.sort!, sorted && order === 'desc' ? 'asc' : 'desc')}
                  data-testid={`sort-${column.sort}`}
                >
                  {column.label}
                  <span className="sort-mark" aria-hidden="true">
                    {sorted ? (order === 'asc' ? '▲' : '▼') : '↕'}
                  </span>
                </button>
              ) : (
                column.label
              )}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
