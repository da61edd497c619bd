"use client";
import { useState, type FormEvent } from "react";
import { useApiMutation, useKeys } from "../data/use-resources";
import { Empty, QueryView } from "../ui/states";
import { CopyButton } from "./copy-button";

export function KeysPanel() {
  const keys = useKeys();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ key: string; prefix: string } | null>(null);
  const create = useApiMutation<string, { key: string; prefix: string }>((n) => ({ path: "/api/v1/keys", method: "POST", body: { name: n } }), [["keys"]]);
  const revoke = useApiMutation<string>((id) => ({ path: `/api/v1/keys/${id}`, method: "DELETE" }), [["keys"]]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name.trim() || "default", { onSuccess: (r) => (setCreated(r), setName("")) });
  };
  return (
    <section className="panel stack">
      <h2 style={{ margin: 0 }}>API keys</h2>
      <p className="muted small" style={{ margin: 0 }}>
        Services send traces with <code>Authorization: Bearer &lt;key&gt;</code>. Keys also read the JSON API of this project.
      </p>
      <form className="row" onSubmit={submit}>
        <input className="input" placeholder="Key name, e.g. checkout-prod" value={name} onChange={(e) => setName(e.target.value)} aria-label="New key name" style={{ width: 260 }} />
        <button className="btn primary" type="submit" disabled={create.isPending}>
          Create key
        </button>
        {create.error && <span style={{ color: "var(--bad)" }}>{create.error.message}</span>}
      </form>
      {created && (
        <div className="notice good stack" style={{ gap: 6 }} data-testid="new-key">
          <strong>Copy this key now: it is shown only once.</strong>
          <div className="row">
            <code className="secret" style={{ flex: 1 }}>
              {created.key}
            </code>
            <CopyButton text={created.key} />
            <button className="btn small" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <QueryView query={keys} isEmpty={(d) => d.length === 0} empty={<Empty title="No API keys yet" />}>
        {(rows) => (
          <table className="table" aria-label="API keys">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((k) => (
                <tr key={k.id} data-key-name={k.name}>
                  <td>{k.name}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td className="small muted">{new Date(k.createdAt).toLocaleString()}</td>
                  <td className="small muted">{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never"}</td>
                  <td>{k.revokedAt ? <span className="badge neutral">revoked</span> : <span className="badge ok">active</span>}</td>
                  <td>
                    {!k.revokedAt && (
                      <button
                        className="btn small danger"
                        disabled={revoke.isPending}
                        onClick={() => {
                          if (window.confirm(`Revoke key "${k.name}"? Services using it stop being accepted at once.`)) revoke.mutate(k.id);
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
    </section>
  );
}
