// With ARGUS_SMTP_URL set, an invitation for an email address is also sent by mail. The link is the
// deliverable either way: a failed send is reported to the owner, who copies the link instead.
import nodemailer from "nodemailer";
import type { Env } from "../env";
import { redactUrlCredentials } from "../net/redact";

export interface InviteMail {
  to: string;
  projectName: string;
  role: string;
  url: string;
  invitedBy: string;
}

export async function sendInviteMail(env: Pick<Env, "ARGUS_SMTP_URL" | "ARGUS_SMTP_FROM">, mail: InviteMail): Promise<{ sent: boolean; error?: string }> {
  if (!env.ARGUS_SMTP_URL) return { sent: false };
  const url = new URL(env.ARGUS_SMTP_URL);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
    secure: url.protocol === "smtps:",
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({
      from: env.ARGUS_SMTP_FROM ?? "Argus <argus@localhost>",
      to: mail.to,
      subject: `You are invited to the Argus project ${mail.projectName}`,
      text: [
        `${mail.invitedBy} invited you to the project "${mail.projectName}" on Argus as ${mail.role}.`,
        "",
        `Join: ${mail.url}`,
        "",
        "The link works once and expires in 7 days.",
      ].join("\n"),
    });
    return { sent: true };
  } catch (error) {
    return { sent: false, error: redactUrlCredentials(`could not send the mail: ${(error as Error).message}`).slice(0, 300) };
  } finally {
    transport.close();
  }
}
