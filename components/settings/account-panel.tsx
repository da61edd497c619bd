"use client";
import { useState, type FormEvent } from "react";
import type { PasswordChanged } from "../data/types";
import { useApiMutation, useSession, useSessions } from "../data/use-resources";
import { QueryView } from "../ui/states";

export function AccountPanel() {
  const session = useSession();
  const sessions = useSessions();
  const [form, setForm] = useState({ currentPassword: "", newPassword: "" });
  const [done, setDone] = useState<string | null>(null);
  const change = useApiMutation<typeof form, PasswordChanged>((body) => ({ path: "/api/auth/password", method: "POST", body }), [["sessions"]]);
  const revoke = useApiMutation<string>((id) => ({ path: `/api/auth/sessions/${id}`, method: "DELETE" }), [["sessions"]]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate(form, { onSuccess: (r) => (setDone(`Password changed; ${r.signedOut} other session(s) signed out.`), setForm({ currentPassword: "", newPassword: "" })) });
  };
  return (
    <>
      <section className="panel stack">
        <h2 style={{ margin: 0 }}>Password</h2>
        {session.data?.user.hasPassword === false ? (
          // Single sign-on only: no password to change, and none can be added from a session (the server says the same).
          <p className="muted" role="note">
            You sign in with single sign-on and have no password. To add one, ask an instance administrator (<code>argus users reset-password</code>).
          </p>
        ) : (
          <form className="row" onSubmit={submit}>
            <input className="input" type="password" required aria-label="Current password" placeholder="Current password" autoComplete="current-password" value={form.currentPassword} onChange={(e) => setForm({ ...form, currentPassword: e.target.value })} />
            <input className="input" type="password" required minLength={8} aria-label="New password" placeholder="New password (8+ characters)" autoComplete="new-password" value={form.newPassword} onChange={(e) => setForm({ ...form, newPassword: e.target.value })} />
            <button className="btn primary" type="submit" disabled={change.isPending}>
              Change password
            </button>
          </form>
        )}
        {change.error && <div className="notice bad">{change.error.message}</div>}
        {done && <div className="notice good" role="status">{done}</div>}
      </section>
      <section className="panel stack">
        <h2 style={{ margin: 0 }}>Sessions</h2>
        <QueryView query={sessions}>
          {(rows) => (
            <div className="table-wrap">
              <table className="table" aria-label="Sessions">
                <thead>
                  <tr>
                    <th>Signed in</th>
                    <th>How</th>
                    <th>From</th>
                    <th>Last seen</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((s) => (
                    <tr key={s.id} data-session={s.current ? "current" : "other"}>
                      <td className="small">{new Date(s.createdAt).toLocaleString()}</td>
                      <td>{s.method}</td>
                      <td className="small muted ellipsis" style={{ maxWidth: 320 }} title={s.userAgent ?? ""}>
                        {s.address ?? "?"} · {s.userAgent ?? "unknown browser"}
                      </td>
                      <td className="small muted">{new Date(s.lastSeenAt).toLocaleString()}</td>
                      <td>
                        {s.current ? (
                          <span className="badge info">this browser</span>
                        ) : (
                          <button className="btn small danger" onClick={() => revoke.mutate(s.id)}>
                            Sign out
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
    </>
  );
}
