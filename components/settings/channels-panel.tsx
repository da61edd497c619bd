"use client";
import { useState, type FormEvent } from "react";
import type { ChannelCreated, ChannelTestResult } from "../data/types";
import { useApiMutation, useChannels } from "../data/use-resources";
import { Empty, QueryView } from "../ui/states";
import { CopyButton } from "../ui/copy-button";

export function ChannelsPanel() {
  const channels = useChannels();
  const [form, setForm] = useState({ type: "webhook", name: "", url: "", minSeverity: "medium" });
  const [secret, setSecret] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, ChannelTestResult | string>>({});
  const create = useApiMutation<typeof form, ChannelCreated>((body) => ({ path: "/api/v1/channels", method: "POST", body }), [["channels"]]);
  const remove = useApiMutation<string>((id) => ({ path: `/api/v1/channels/${id}`, method: "DELETE" }), [["channels"]]);
  const test = useApiMutation<string, ChannelTestResult>((id) => ({ path: `/api/v1/channels/${id}/test`, method: "POST" }), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(form, { onSuccess: (r) => (setSecret(r.secret ?? null), setForm({ ...form, name: "", url: "" })) });
  };
  const runTest = (id: string) =>
    test.mutate(id, { onSuccess: (r) => setResults((s) => ({ ...s, [id]: r })), onError: (e) => setResults((s) => ({ ...s, [id]: e.message })) });
  return (
    <section className="panel stack">
      <h2 style={{ margin: 0 }}>Notification channels</h2>
      <form className="filters" onSubmit={submit} style={{ marginBottom: 0 }}>
        <label className="field">
          Type
          <select className="select" aria-label="Channel type" value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
            <option value="webhook">Webhook (signed)</option>
            <option value="slack">Slack incoming webhook</option>
          </select>
        </label>
        <label className="field">
          Name
          <input className="input" aria-label="Channel name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="on-call" />
        </label>
        <label className="field" style={{ flex: 1, minWidth: 260 }}>
          URL
          <input className="input" aria-label="Channel URL" required type="url" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} placeholder={form.type === "slack" ? "https://hooks.slack.com/services/…" : "https://example.com/argus-hook"} />
        </label>
        <label className="field">
          Minimum severity
          <select className="select" aria-label="Minimum severity" value={form.minSeverity} onChange={(e) => setForm({ ...form, minSeverity: e.target.value })}>
            {["low", "medium", "high", "critical"].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button className="btn primary" type="submit" disabled={create.isPending}>
          Add channel
        </button>
      </form>
      {create.error && <div className="notice bad">{create.error.message}</div>}
      {secret && (
        <div className="notice good stack" style={{ gap: 6 }}>
          <strong>Signing secret of the new webhook (shown once): your receiver verifies the signature header with it.</strong>
          <div className="row">
            <code className="secret" style={{ flex: 1 }}>
              {secret}
            </code>
            <CopyButton text={secret} />
            <button className="btn small" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <QueryView query={channels} isEmpty={(d) => d.length === 0} empty={<Empty title="No channels yet">Alerts are listed here but not sent anywhere until you add one.</Empty>}>
        {(rows) => (
          <div className="table-wrap">
            <table className="table" aria-label="Channels">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Type</th>
                  <th>URL</th>
                  <th>Min. severity</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => {
                  const r = results[c.id];
                  return (
                    <tr key={c.id} data-channel-name={c.name}>
                      <td>
                        {c.name} {!c.enabled && <span className="badge neutral">disabled</span>} {c.source === "env" && <span className="badge info">from env</span>}
                      </td>
                      <td>{c.type}</td>
                      <td className="mono small ellipsis" style={{ maxWidth: 260 }}>
                        {c.url}
                      </td>
                      <td>{c.minSeverity}</td>
                      <td>
                        <div className="row">
                          <button className="btn small" onClick={() => runTest(c.id)} disabled={test.isPending}>
                            Send test
                          </button>
                          {c.source !== "env" && (
                            <button className="btn small danger" onClick={() => window.confirm(`Delete channel "${c.name}"?`) && remove.mutate(c.id)}>
                              Delete
                            </button>
                          )}
                          {r && (
                            <span role="status" className={`badge ${typeof r !== "string" && r.delivered ? "ok" : "bad"}`} data-testid="test-result">
                              {typeof r === "string" ? r : r.delivered ? `delivered${r.statusCode ? ` · HTTP ${r.statusCode}` : ""}` : `failed · ${r.error ?? (r.statusCode ? `HTTP ${r.statusCode}` : "no answer")}`}
                            </span>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </section>
  );
}
