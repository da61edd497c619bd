// Next.js calls register() once per server process.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startTelemetry } = await import("./lib/telemetry");
    startTelemetry("argus-web");
    // Registers the cookie-session authenticator with lib/http/route.ts for every route.
    await import("./lib/auth/session");
  }
}
