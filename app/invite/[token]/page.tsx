import { InviteForm } from "@/components/auth/invite-form";

export const metadata = { title: "Invitation · Argus" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  return <InviteForm token={(await params).token} />;
}
