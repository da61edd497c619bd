"use client";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { apiFetch } from "../data/api";
import type { ProjectList } from "../data/types";
import { qk } from "../data/query-keys";
import { useApiMutation, useSession } from "../data/use-resources";
import { QueryView } from "../ui/states";

const useProjects = () => useQuery({ queryKey: qk.projects(), queryFn: () => apiFetch<ProjectList>("/api/v1/projects") });

export function ProjectsPanel() {
  const projects = useProjects();
  const session = useSession();
  const [name, setName] = useState("");
  const create = useApiMutation<string>((n) => ({ path: "/api/v1/projects", method: "POST", body: { name: n } }), [["projects"], ["session"]]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name.trim(), { onSuccess: () => setName("") });
  };
  return (
    <section className="panel stack">
      <h2 style={{ margin: 0 }}>Projects</h2>
      <QueryView query={projects}>
        {(d) => (
          <div className="table-wrap">
            <table className="table" aria-label="Projects">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Retention</th>
                  <th>Sensitivity</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {d.projects.map((p) => (
                  <tr key={p.id} className={p.id === d.activeProjectId ? "selected" : undefined}>
                    <td>
                      {p.name} {p.id === d.activeProjectId && <span className="badge info">active</span>}
                    </td>
                    <td>{p.retentionDays ? `${p.retentionDays} days` : "forever"}</td>
                    <td>{p.sensitivity ?? "medium"}</td>
                    <td className="small muted">{new Date(p.createdAt).toLocaleDateString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
      {session.data?.user.isAdmin && (
        <form className="row" onSubmit={submit}>
          <input className="input" required placeholder="New project name" value={name} onChange={(e) => setName(e.target.value)} aria-label="New project name" />
          <button className="btn" type="submit" disabled={create.isPending}>
            Create project
          </button>
          {create.error && <span style={{ color: "var(--bad)" }}>{create.error.message}</span>}
        </form>
      )}
    </section>
  );
}

const LEVELS = [
  { value: "low", label: "Low", hint: "About one false alert per 100,000 normal traces: only clear-cut problems." },
  { value: "medium", label: "Medium", hint: "About one false alert per 10,000 normal traces (default)." },
  { value: "high", label: "High", hint: "About ten false alerts per 10,000 normal traces: smaller changes are caught sooner." },
];

export function DetectionPanel() {
  const projects = useProjects();
  const active = projects.data?.projects.find((p) => p.id === projects.data?.activeProjectId);
  const update = useApiMutation<string>((sensitivity) => ({ path: `/api/v1/projects/${active?.id}`, method: "PATCH", body: { sensitivity } }), [["projects"]]);
  // Optimistic: the choice shows at once, and reverts if saving fails.
  const current = (update.isPending ? update.variables : undefined) ?? active?.sensitivity ?? "medium";
  return (
    <section className="panel stack">
      <h2 style={{ margin: 0 }}>Detection sensitivity</h2>
      <p className="muted small" style={{ margin: 0 }}>
        Sets the false-alert budget that every detector's threshold is calibrated to for project <strong>{active?.name}</strong>. Detectors keep learning either way; marking an anomaly as expected teaches them too.
      </p>
      <div className="stack" style={{ gap: 6 }} role="radiogroup" aria-label="Sensitivity">
        {LEVELS.map((l) => (
          <label key={l.value} className="row" style={{ cursor: "pointer" }}>
            <input type="radio" name="sensitivity" checked={current === l.value} disabled={!active || update.isPending} onChange={() => update.mutate(l.value)} />
            <strong>{l.label}</strong>
            <span className="muted small">{l.hint}</span>
          </label>
        ))}
      </div>
      {update.error && <div className="notice bad">{update.error.message}</div>}
    </section>
  );
}
