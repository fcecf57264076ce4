import type { SortOrder } from '../../../shared/model.ts';
import type { IssueRow, IssueSortKey } from '../../../shared/issues.ts';
import { SortableHeader, type SortColumn } from '../../components/SortableHeader.tsx';
import { formatDate, formatDateTime } from '../../lib/format.ts';

export function IssueTable({
  rows,
  selected,
  loading,
  sort,
  order,
  rankable,
  onSort,
  onSelect,
}: {
  rows: IssueRow[];
  selected: { instance: string; id: string } | null;
  loading: boolean;
  sort: IssueSortKey | undefined;
  order: SortOrder;
  /** A text search without filters can be ordered by relevance. */
  rankable: boolean;
  onSort: (sort: IssueSortKey, order: SortOrder) => void;
  onSelect: (issue: { instance: string; id: string }) => void;
}) {
  const columns: Array<SortColumn<IssueSortKey>> = [
    { label: 'Key', sort: 'key' },
    { label: 'Summary', ...(rankable ? { sort: 'relevance' as const } : {}) },
    { label: 'Status' },
    { label: 'Type' },
    { label: 'Assignee' },
    { label: 'Updated', sort: 'updated' },
  ];
  return (
    <div className="table-wrap">
      <table className="issues" data-testid="issue-table" aria-busy={loading}>
        <caption className="visually-hidden">Mirrored issues</caption>
        <SortableHeader
          columns={columns}
          sort={sort === 'relevance' && !rankable ? 'updated' : (sort ?? (rankable ? 'relevance' : 'updated'))}
          order={order}
          onSort={onSort}
        />
        <tbody className={loading ? 'dimmed' : undefined}>
          {rows.map((issue) => {
            const isSelected = selected?.instance === issue.instance && selected.id === issue.id;
            return (
              <tr
                key={`${issue.instance}:${issue.id}`}
                className={isSelected ? 'selected' : undefined}
                data-testid="issue-row"
                data-key={issue.key}
                onClick={() => onSelect(issue)}
              >
                <td>
                  <button
                    type="button"
                    className="row-link mono"
                    aria-label={`${issue.key}: show details`}
                    aria-pressed={isSelected}
                    onClick={(e) => (e.stopPropagation(), onSelect(issue))}
                  >
                    {issue.key}
                  </button>
                </td>
                <td className="summary-cell">{issue.summary}</td>
                <td>{issue.status ?? '—'}</td>
                <td>{issue.issueType ?? '—'}</td>
                <td>{issue.assignee ?? <span className="muted">Unassigned</span>}</td>
                <td className="nowrap">
                  <time dateTime={issue.updated} title={formatDateTime(issue.updated)}>
                    {formatDate(issue.updated)}
                  </time>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
