"use client";
import { useEffect, useState, type FormEvent } from "react";
import { useSearchParams } from "next/navigation";
import { safeNextPath } from "@/lib/auth/safe-next";
import { ssoErrorText } from "@/lib/auth/sso-errors";
import { apiFetch } from "../data/api";
import type { SignInOptions } from "../data/types";

export function AuthForm({ mode }: { mode: "login" | "setup" }) {
  const params = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<SignInOptions | null>(null);
  const next = safeNextPath(params.get("next"));
  const ssoError = ssoErrorText(params.get("sso_error"));

  useEffect(() => {
    void apiFetch<SignInOptions>("/api/auth/setup")
      .then((s) => {
        setOptions(s);
        if (mode === "login" && s.needsSetup) window.location.replace("/setup");
        if (mode === "setup" && !s.needsSetup) window.location.replace("/login");
      })
      .catch(() => {});
  }, [mode]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await apiFetch(mode === "login" ? "/api/auth/login" : "/api/auth/setup", { method: "POST", body: mode === "login" ? { email, password } : { email, password, name: name || undefined } });
      window.location.assign(next);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <div className="panel auth-card">
        <div className="brand" style={{ padding: "0 0 6px" }}>
          <span className="brand-dot" aria-hidden /> Argus
        </div>
        <h1 style={{ marginBottom: 4 }}>{mode === "login" ? "Sign in" : "Create the admin account"}</h1>
        <p className="muted small" style={{ marginTop: 0 }}>
          {mode === "login" ? "Traces, anomalies and alerts of your LLM agents." : "No account exists yet. The first account is an admin of every project."}
        </p>
        {ssoError && (
          <div className="notice bad" role="alert">
            {ssoError}
          </div>
        )}
        {mode === "login" && options?.sso && (
          <a className="btn primary" style={{ display: "block", textAlign: "center", marginBottom: 12 }} href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`}>
            Sign in with {options.sso.name}
          </a>
        )}
        {(mode === "setup" || options?.passwordLogin !== false) && <form onSubmit={submit}>
          {mode === "setup" && (
            <label className="field">
              Name
              <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
            </label>
          )}
          <label className="field">
            Email
            <input className="input" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" autoFocus />
          </label>
          <label className="field">
            Password
            <input
              className="input"
              type="password"
              required
              minLength={mode === "setup" ? 8 : 1}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete={mode === "login" ? "current-password" : "new-password"}
            />
          </label>
          {error && (
            <div className="notice bad" role="alert">
              {error}
            </div>
          )}
          <button className="btn primary" type="submit" disabled={busy}>
            {busy ? "…" : mode === "login" ? "Sign in" : "Create admin and sign in"}
          </button>
        </form>}
      </div>
    </div>
  );
}
