"use client";
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, apiFetch } from "../data/api";
import type { InviteAccepted, InvitePreview, SessionInfo } from "../data/types";


/** The page an invitation link opens: join as the signed-in user, or create an account and join. */
export function InviteForm({ token }: { token: string }) {
  const [preview, setPreview] = useState<InvitePreview | null>(null);
  const [signedIn, setSignedIn] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ email: "", name: "", password: "" });
  const [busy, setBusy] = useState(false);
  const path = `/api/invites/${encodeURIComponent(token)}`;

  useEffect(() => {
    apiFetch<InvitePreview>(path).then(setPreview, (e: Error) => setError(e.message));
    apiFetch<SessionInfo>("/api/auth/session").then((s) => setSignedIn(s.user.email), () => setSignedIn(null));
  }, [path]);

  const accept = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = signedIn ? {} : { ...(preview?.email ? {} : { email: form.email }), password: form.password, ...(form.name ? { name: form.name } : {}) };
      const joined = await apiFetch<InviteAccepted>(`${path}/accept`, { method: "POST", body });
      document.cookie = `argus_project=${encodeURIComponent(joined.projectId)}; Path=/; SameSite=Lax; Max-Age=31536000`;
      window.location.assign("/");
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <div className="panel auth-card">
        <div className="brand" style={{ padding: "0 0 6px" }}>
          <span className="brand-dot" aria-hidden /> Argus
        </div>
        <h1 style={{ marginBottom: 4 }}>{preview ? `Join ${preview.projectName}` : "Invitation"}</h1>
        {preview && <p className="muted small" style={{ marginTop: 0 }}>You are invited as {preview.role}.</p>}
        {error && (
          <div className="notice bad" role="alert">
            {error}
          </div>
        )}
        {preview && signedIn && (
          <button className="btn primary" onClick={() => void accept()} disabled={busy}>
            Join as {signedIn}
          </button>
        )}
        {preview && !signedIn && (
          <form onSubmit={accept}>
            <label className="field">
              Email
              <input className="input" type="email" required value={preview.email ?? form.email} disabled={Boolean(preview.email)} onChange={(e) => setForm({ ...form, email: e.target.value })} autoComplete="username" />
            </label>
            <label className="field">
              Name
              <input className="input" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} autoComplete="name" />
            </label>
            <label className="field">
              Password
              <input className="input" type="password" required minLength={8} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="new-password" />
            </label>
            <button className="btn primary" type="submit" disabled={busy}>
              Create account and join
            </button>
            <p className="muted small">
              Have an account? <a href={`/login?next=${encodeURIComponent(`/invite/${token}`)}`}>Sign in first</a>.
            </p>
          </form>
        )}
      </div>
    </div>
  );
}
