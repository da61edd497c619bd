"use client";
// "Most anomalous": the worst anomaly per agent step and detector in the range, worst first; each entry
// links to that anomaly on its trace.
import Link from "next/link";
import { anomalyHref } from "../anomalies/anomaly-href";
import type { Overview } from "../data/types";
import { SeverityBadge } from "../ui/badges";
import { Empty } from "../ui/states";

/** "service/agent/step/model" as "agent / step" over "service · model". */
function EntityLabel({ entity }: { entity: string }) {
  const [service, agent, step, model] = entity.split("/");
  if (step === undefined) return <span className="mono small">{entity}</span>;
  return (
    <>
      <div className="ellipsis">
        {agent} / <strong>{step}</strong>
      </div>
      <div className="muted small ellipsis">
        {service}
        {model && model !== "-" ? ` · ${model}` : ""}
      </div>
    </>
  );
}

export function TopAnomalous({ items }: { items: Overview["topAnomalous"] }) {
  if (items.length === 0) return <Empty title="Nothing unusual in this range" />;
  return (
    <ol className="top-anomalous" aria-label="Most anomalous">
      {items.map((a) => (
        <li key={`${a.entity}-${a.detector}`}>
          <Link href={anomalyHref(a.worst)} className="top-anomalous-link" title={`Open the worst ${a.detector} anomaly of ${a.entity}`} data-testid="top-anomalous-link" data-severity={a.severity} data-score={a.maxScore}>
            <div className="top-anomalous-where">
              <EntityLabel entity={a.entity} />
            </div>
            <div className="top-anomalous-what">
              <SeverityBadge severity={a.severity} /> <span>{a.detector}</span>
            </div>
            <div className="num small">
              <div>score {a.maxScore.toFixed(2)}</div>
              <div className="muted">
                {a.count} {a.count === 1 ? "time" : "times"}
              </div>
            </div>
          </Link>
        </li>
      ))}
    </ol>
  );
}
