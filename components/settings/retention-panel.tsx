"use client";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { apiFetch } from "../data/api";
import type { ProjectList } from "../data/types";
import { qk } from "../data/query-keys";
import { useApiMutation, useSession } from "../data/use-resources";

/** Data retention of the active project: off (keep forever) or a number of days, enforced by the retention worker. */
export function RetentionPanel() {
  const projects = useQuery({ queryKey: qk.projects(), queryFn: () => apiFetch<ProjectList>("/api/v1/projects") });
  const session = useSession();
  const active = projects.data?.projects.find((p) => p.id === projects.data?.activeProjectId);
  const [days, setDays] = useState<string | null>(null);
  const update = useApiMutation<number | null>((retentionDays) => ({ path: `/api/v1/projects/${active?.id}`, method: "PATCH", body: { retentionDays } }), [["projects"]]);
  const value = days ?? (active?.retentionDays ? String(active.retentionDays) : "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(value.trim() === "" ? null : Number(value), { onSuccess: () => setDays(null) });
  };
  const isAdmin = session.data?.user.isAdmin ?? false;
  return (
    <section className="panel stack">
      <h2 style={{ margin: 0 }}>Data retention</h2>
      <p className="muted small" style={{ margin: 0 }}>
        Project <strong>{active?.name}</strong> keeps data {active?.retentionDays ? `for ${active.retentionDays} days` : "forever"}. Older spans, traces,
        rollups and anomalies are deleted in small batches in the background; open or acknowledged alerts are always kept.
      </p>
      {isAdmin && (
        <form className="row" onSubmit={submit}>
          <input
            className="input"
            type="number"
            min={1}
            max={3650}
            placeholder="off"
            style={{ width: 110 }}
            value={value}
            onChange={(e) => setDays(e.target.value)}
            aria-label="Retention in days"
          />
          <span className="muted small">days</span>
          <button className="btn" type="submit" disabled={!active || update.isPending}>
            Save retention
          </button>
          {update.error && <span style={{ color: "var(--bad)" }}>{update.error.message}</span>}
        </form>
      )}
    </section>
  );
}
