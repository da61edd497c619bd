import Link from "next/link";

/** A headline figure; with `href`, the whole card links to the list it summarises. */
export function StatCard({ label, value, hint, tone, href }: { label: string; value: string; hint?: string; tone?: "bad" | "warn"; href?: string }) {
  const body = (
    <>
      <div className="label">{label}</div>
      <div className="value" style={tone ? { color: `var(--${tone})` } : undefined}>
        {value}
      </div>
      {hint && <div className="hint">{hint}</div>}
    </>
  );
  return href ? (
    <Link href={href} className="stat stat-link" aria-label={`${label}: ${value}${hint ? `, ${hint}` : ""}`}>
      {body}
    </Link>
  ) : (
    <div className="stat">{body}</div>
  );
}
