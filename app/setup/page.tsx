import { AuthForm } from "@/components/auth/auth-form";

export const metadata = { title: "Set up · Argus" };

export default function SetupPage() {
  return <AuthForm mode="setup" />;
}
