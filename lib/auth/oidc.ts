// Single sign-on with OpenID Connect (authorization code flow with PKCE, through openid-client).
// start: state, nonce and the PKCE verifier go into a short-lived cookie, encrypted with the instance
// key (the browser keeps them, every web process can read them); the browser goes to the provider.
// callback: the code is exchanged and the ID token checked against them; the identity (issuer,
// subject) finds or creates the user, the role claim sets their role in the SSO project, a session
// starts. An existing password account is linked only when the provider says the email is verified.
import * as client from "openid-client";
import type { Db } from "../db";
import type { Env } from "../env";
import { AppError } from "../errors";
import { log } from "../log";
import { decryptSecret, encryptSecret } from "../crypto/secret-box";
import { ensureProject } from "./api-keys";
import { parseCookies, serializeCookie, isSecureRequest } from "./cookies";
import { accessFromClaims, parseRoleMap } from "./oidc-claims";
import { safeNextPath } from "./safe-next";
import { SSO_ERRORS } from "./sso-errors";

export const OIDC_COOKIE = "argus_oidc";
const FLOW_TTL_MS = 10 * 60_000;
const CONTEXT = "oidc-login-flow";

export type OidcEnv = Pick<Env, "ARGUS_OIDC_ISSUER" | "ARGUS_OIDC_CLIENT_ID" | "ARGUS_OIDC_CLIENT_SECRET" | "ARGUS_OIDC_SCOPES" | "ARGUS_OIDC_ROLE_CLAIM" | "ARGUS_OIDC_ROLE_MAP" | "ARGUS_OIDC_DEFAULT_ROLE" | "ARGUS_OIDC_PROJECT" | "publicUrl">;

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  expiresAt: number;
}

const cache = globalThis as unknown as { argusOidc?: { issuer: string; config: client.Configuration } };

/** The provider's configuration (discovery), fetched once per process; a failed fetch is retried next time. */
async function providerConfig(env: OidcEnv): Promise<client.Configuration> {
  if (!env.ARGUS_OIDC_ISSUER || !env.ARGUS_OIDC_CLIENT_ID || !env.ARGUS_OIDC_CLIENT_SECRET) throw new AppError("not_found", SSO_ERRORS.not_configured);
  if (cache.argusOidc?.issuer === env.ARGUS_OIDC_ISSUER) return cache.argusOidc.config;
  const issuer = new URL(env.ARGUS_OIDC_ISSUER);
  try {
    // http is accepted for a provider on this machine only (lib/env.ts refuses it elsewhere).
    const options = issuer.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : undefined;
    const config = await client.discovery(issuer, env.ARGUS_OIDC_CLIENT_ID, env.ARGUS_OIDC_CLIENT_SECRET, undefined, options);
    cache.argusOidc = { issuer: env.ARGUS_OIDC_ISSUER, config };
    return config;
  } catch (error) {
    log.warn("single sign-on discovery failed", { issuer: issuer.origin, error: String((error as Error)?.message ?? error) });
    throw new AppError("unavailable", SSO_ERRORS.unavailable, { "Retry-After": "10" });
  }
}

const callbackUrl = (env: OidcEnv) => `${env.publicUrl}/api/auth/oidc/callback`;

/** The provider's sign-in URL and the cookie that carries the flow's secrets back to the callback. */
export async function startSignIn(req: Request, env: OidcEnv, key: Buffer, now: number): Promise<{ location: string; cookie: string }> {
  const config = await providerConfig(env);
  const flow: Flow = {
    state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(),
    next: safeNextPath(new URL(req.url).searchParams.get("next")), expiresAt: now + FLOW_TTL_MS,
  };
  const location = client.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(env), scope: env.ARGUS_OIDC_SCOPES, state: flow.state, nonce: flow.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(flow.verifier), code_challenge_method: "S256",
  });
  const cookie = serializeCookie(OIDC_COOKIE, encryptSecret(JSON.stringify(flow), key, CONTEXT), { httpOnly: true, secure: isSecureRequest(req), maxAgeSeconds: FLOW_TTL_MS / 1000 });
  return { location: location.href, cookie };
}

export function clearFlowCookie(req: Request): string {
  return serializeCookie(OIDC_COOKIE, "", { httpOnly: true, secure: isSecureRequest(req), maxAgeSeconds: 0 });
}

function readFlow(req: Request, key: Buffer, now: number): Flow {
  const raw = parseCookies(req.headers.get("cookie"))[OIDC_COOKIE];
  if (!raw) throw new AppError("bad_request", SSO_ERRORS.expired_or_other_browser);
  let flow: Flow;
  try {
    flow = JSON.parse(decryptSecret(raw, key, CONTEXT)) as Flow;
  } catch {
    throw new AppError("bad_request", SSO_ERRORS.invalid_cookie);
  }
  if (flow.expiresAt <= now) throw new AppError("bad_request", SSO_ERRORS.expired);
  return flow;
}

interface Identity {
  issuer: string;
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  claims: Record<string, unknown>;
}

/** Exchanges the code and checks the ID token (signature, issuer, audience, nonce, PKCE, state). */
async function identityFromCallback(req: Request, env: OidcEnv, flow: Flow): Promise<Identity> {
  const config = await providerConfig(env);
  const current = new URL(callbackUrl(env));
  current.search = new URL(req.url).search;
  let tokens;
  try {
    tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
  } catch (error) {
    log.warn("single sign-on callback refused", { error: String((error as Error)?.message ?? error) });
    throw new AppError("unauthorized", SSO_ERRORS.unverified);
  }
  const idClaims = tokens.claims()!;
  let claims: Record<string, unknown> = { ...idClaims };
  if (tokens.access_token && config.serverMetadata().userinfo_endpoint) {
    const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub).catch(() => null);
    if (info) claims = { ...info, ...claims };
  }
  const email = typeof claims.email === "string" ? claims.email.toLowerCase() : null;
  if (!email) throw new AppError("forbidden", SSO_ERRORS.no_email);
  return {
    issuer: String(idClaims.iss), subject: idClaims.sub, email, emailVerified: claims.email_verified === true,
    name: typeof claims.name === "string" ? claims.name.slice(0, 100) : null, claims,
  };
}

async function ssoProject(db: Db, env: OidcEnv): Promise<string> {
  if (env.ARGUS_OIDC_PROJECT) return (await ensureProject(db, env.ARGUS_OIDC_PROJECT)).id;
  return ((await db.project.findFirst({ orderBy: { createdAt: "asc" } })) ?? (await ensureProject(db, "default"))).id;
}

/** Finds or creates the user of an identity and applies the role its claims grant. */
async function upsertUser(db: Db, env: OidcEnv, id: Identity): Promise<string> {
  const access = accessFromClaims(id.claims, { claim: env.ARGUS_OIDC_ROLE_CLAIM, map: parseRoleMap(env.ARGUS_OIDC_ROLE_MAP), defaultRole: env.ARGUS_OIDC_DEFAULT_ROLE });
  if (!access) throw new AppError("forbidden", SSO_ERRORS.no_access);
  let user = await db.user.findUnique({ where: { oidcIssuer_oidcSubject: { oidcIssuer: id.issuer, oidcSubject: id.subject } } });
  if (!user) {
    const byEmail = await db.user.findUnique({ where: { email: id.email } });
    if (byEmail && (!id.emailVerified || byEmail.oidcSubject)) {
      throw new AppError("conflict", SSO_ERRORS.email_conflict);
    }
    user = byEmail
      ? await db.user.update({ where: { id: byEmail.id }, data: { oidcIssuer: id.issuer, oidcSubject: id.subject } })
      : await db.user.create({ data: { email: id.email, name: id.name, passwordHash: null, oidcIssuer: id.issuer, oidcSubject: id.subject } });
  }
  // The provider is the source of truth for SSO users: role (and admin) follow its claims at each sign-in,
  // except that the last admin is never demoted this way (use the CLI).
  const otherAdmins = await db.user.count({ where: { isAdmin: true, id: { not: user.id } } });
  if (user.isAdmin !== access.admin && (access.admin || otherAdmins > 0)) await db.user.update({ where: { id: user.id }, data: { isAdmin: access.admin } });
  const projectId = await ssoProject(db, env);
  await db.membership.upsert({
    where: { userId_projectId: { userId: user.id, projectId } },
    create: { userId: user.id, projectId, role: access.role },
    update: { role: access.role },
  });
  return user.id;
}

/** The callback: the user id to open a session for, and where to send the browser. */
export async function finishSignIn(db: Db, req: Request, env: OidcEnv, key: Buffer, now: number): Promise<{ userId: string; next: string }> {
  const flow = readFlow(req, key, now);
  const identity = await identityFromCallback(req, env, flow);
  return { userId: await upsertUser(db, env, identity), next: flow.next };
}
