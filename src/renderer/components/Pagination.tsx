import { pageRange } from '../lib/format.ts';

export function Pagination({
  offset,
  shown,
  total,
  pageSize,
  disabled,
  onPage,
  id,
}: {
  offset: number;
  shown: number;
  total: number;
  pageSize: number;
  disabled?: boolean;
  onPage: (page: number) => void;
  id?: string;
}) {
  const page = Math.floor(offset / pageSize);
  return (
    <nav className="pagination" aria-label="Pagination">
      <span id={id} data-testid="pagination-range" aria-live="polite">
        {pageRange(offset, shown, total)}
      </span>
      <div className="pagination-buttons">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onPage(page - 1)}
          disabled={page === 0 || disabled}
          data-testid="page-prev"
        >
          ‹ Previous
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onPage(page + 1)}
          disabled={offset + pageSize >= total || disabled}
          data-testid="page-next"
        >
          Next ›
        </button>
      </div>
    </nav>
  );
}
