"use client";
import { useEffect, useState } from "react";
import { TraceFilters } from "@/components/traces/trace-filters";
import { TraceTable } from "@/components/traces/trace-table";
import { useTraces } from "@/components/data/use-resources";
import { Pager } from "@/components/ui/pager";
import { Empty, QueryView } from "@/components/ui/states";
import { useRange } from "@/components/ui/time-range";
import { useUrlState } from "@/components/ui/use-url-state";

const KEYS = ["service", "agent", "model", "status", "minScore", "q", "sessionId", "userId", "sort", "dir", "cursor"] as const;

export default function TracesPage() {
  const { get } = useUrlState();
  const range = useRange();
  const params: Record<string, string | undefined> = { range };
  for (const k of KEYS) params[k] = get(k);
  const query = useTraces(params);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [query.dataUpdatedAt]);
  const filtered = KEYS.some((k) => k !== "sort" && k !== "dir" && k !== "cursor" && params[k]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Traces</h1>
          <div className="sub">Every agent run in the range. Enter opens a trace; ↑/↓ move between rows.</div>
        </div>
      </div>
      <TraceFilters />
      <div className="panel">
        <QueryView
          query={query}
          rows={8}
          isEmpty={(d) => d.items.length === 0}
          empty={
            <Empty title={filtered ? "No trace matches these filters" : "No traces in this time range"}>
              {filtered ? "Widen the time range or clear a filter." : "Send spans to /v1/traces (Settings → Connect your app) or pick a longer range."}
            </Empty>
          }
        >
          {(data) => (
            <>
              <TraceTable items={data.items} now={now} />
              <Pager nextCursor={data.nextCursor}>
                <span className="muted small">{data.items.length} traces on this page</span>
              </Pager>
            </>
          )}
        </QueryView>
      </div>
    </>
  );
}
