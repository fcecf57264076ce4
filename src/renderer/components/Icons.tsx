/** The few line icons the UI uses, drawn in the current text colour. */

function StrokeIcon({ d }: { d: string }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function SyncIcon() {
  return <StrokeIcon d="M13.5 8a5.5 5.5 0 0 1-9.9 3.3M2.5 8a5.5 5.5 0 0 1 9.9-3.3M12.6 1.8v3h-3M3.4 14.2v-3h3" />;
}

export function EmptyIcon() {
  return (
    <svg className="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
      <rect x="6" y="10" width="36" height="28" rx="4" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M6 18h36M14 26h12M14 31h8" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}
