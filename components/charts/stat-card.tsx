export function StatCard({ label, value, hint, tone }: { label: string; value: string; hint?: string; tone?: "bad" | "warn" }) {
  return (
    <div className="stat">
      <div className="label">{label}</div>
      <div className="value" style={tone ? { color: `var(--${tone})` } : undefined}>
        {value}
      </div>
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}
