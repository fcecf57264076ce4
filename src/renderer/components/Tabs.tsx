import type { KeyboardEvent } from 'react';

/** Tabs as links (each tab is a URL); arrow keys move between them as in any tab list. */
export function Tabs<T extends string>({
  tabs,
  current,
  hrefOf,
  label,
}: {
  tabs: Array<{ id: T; label: string }>;
  current: T;
  hrefOf: (id: T) => string;
  label: string;
}) {
  function onKeyDown(event: KeyboardEvent<HTMLAnchorElement>, index: number) {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    window.location.assign(hrefOf(next.id));
    document.getElementById(`tab-${next.id}`)?.focus();
  }
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, index) => (
        <a
          key={tab.id}
          id={`tab-${tab.id}`}
          role="tab"
          className="tab"
          href={hrefOf(tab.id)}
          aria-selected={tab.id === current}
          aria-controls="tab-panel"
          tabIndex={tab.id === current ? 0 : -1}
          onKeyDown={(e) => onKeyDown(e, index)}
          data-testid={`tab-${tab.id}`}
        >
          {tab.label}
        </a>
      ))}
    </div>
  );
}
