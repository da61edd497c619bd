"use client";
import { useState, type FormEvent } from "react";
import type { ApiKeyCreated } from "../data/types";
import { useApiMutation, useKeys } from "../data/use-resources";
import { Empty, QueryView } from "../ui/states";
import { CopyButton } from "../ui/copy-button";

const SCOPE_HINTS = { ingest: "send traces", read: "read the JSON API", admin: "change channels, keys, settings; act on alerts" } as const;
type Scope = keyof typeof SCOPE_HINTS;

export function KeysPanel() {
  const keys = useKeys();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["ingest"]);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const create = useApiMutation<string, ApiKeyCreated>((n) => ({ path: "/api/v1/keys", method: "POST", body: { name: n, scopes } }), [["keys"]]);
  const revoke = useApiMutation<string>((id) => ({ path: `/api/v1/keys/${id}`, method: "DELETE" }), [["keys"]]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name.trim() || "default", { onSuccess: (r) => (setCreated(r), setName("")) });
  };
  return (
    <section className="panel stack">
      <h2 style={{ margin: 0 }}>API keys</h2>
      <p className="muted small" style={{ margin: 0 }}>
        Services send traces with <code>Authorization: Bearer &lt;key&gt;</code>. Give a key only the scopes it needs: an exporter&apos;s key
        needs <code>ingest</code> alone.
      </p>
      <form className="row" onSubmit={submit}>
        <input className="input" placeholder="Key name, e.g. checkout-prod" value={name} onChange={(e) => setName(e.target.value)} aria-label="New key name" style={{ width: 260 }} />
        {(Object.keys(SCOPE_HINTS) as Scope[]).map((scope) => (
          <label key={scope} className="row small" title={SCOPE_HINTS[scope]} style={{ gap: 4 }}>
            <input
              type="checkbox"
              aria-label={`Scope ${scope}`}
              checked={scopes.includes(scope)}
              onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
            />
            {scope}
          </label>
        ))}
        <button className="btn primary" type="submit" disabled={create.isPending || scopes.length === 0}>
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
          <div className="table-wrap">
            <table className="table" aria-label="API keys">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Key</th>
                  <th>Scopes</th>
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
                    <td className="small">{(k.scopes ?? []).join(", ")}</td>
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
          </div>
        )}
      </QueryView>
    </section>
  );
}
