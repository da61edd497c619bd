// The single sign-on provider the e2e tests start (sso.spec.ts) and the settings Argus gets for it
// (playwright.config.ts). It listens on the port after Argus's.
const port = Number(process.env.ARGUS_E2E_PORT ?? 3217);

export const OIDC = {
  port: port + 1,
  issuer: `http://127.0.0.1:${port + 1}`,
  clientId: "argus-e2e",
  clientSecret: "argus-e2e-client-secret-0123456789",
  redirectUri: `http://127.0.0.1:${port}/api/auth/oidc/callback`,
  name: "Test SSO",
};
