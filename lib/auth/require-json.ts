import { AppError } from "../errors";

/** Sign-in style endpoints accept only JSON: a cross-site HTML form cannot send it without a CORS preflight. */
export function requireJson(req: Request): void {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with 'Content-Type: application/json'");
  }
}
