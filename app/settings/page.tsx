"use client";
import Link from "next/link";
import { ChannelsPanel } from "@/components/settings/channels-panel";
import { ConnectPanel } from "@/components/settings/connect-panel";
import { AccountPanel } from "@/components/settings/account-panel";
import { KeysPanel } from "@/components/settings/keys-panel";
import { MembersPanel } from "@/components/settings/members-panel";
import { DetectionPanel, ProjectsPanel } from "@/components/settings/project-panels";
import { RetentionPanel } from "@/components/settings/retention-panel";
import { useUrlState } from "@/components/ui/use-url-state";

const TABS = [
  { key: "projects", label: "Projects" },
  { key: "members", label: "Members" },
  { key: "keys", label: "API keys" },
  { key: "channels", label: "Notifications" },
  { key: "detection", label: "Detection" },
  { key: "connect", label: "Connect your app" },
  { key: "account", label: "Account" },
];

export default function SettingsPage() {
  const { get } = useUrlState();
  const tab = TABS.find((t) => t.key === get("tab"))?.key ?? "projects";
  return (
    <>
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <nav className="tabs" aria-label="Settings sections">
        {TABS.map((t) => (
          <Link key={t.key} href={`/settings?tab=${t.key}`} className={t.key === tab ? "active" : undefined} aria-current={t.key === tab ? "page" : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {tab === "projects" && (
        <>
          <ProjectsPanel />
          <RetentionPanel />
        </>
      )}
      {tab === "members" && <MembersPanel />}
      {tab === "keys" && <KeysPanel />}
      {tab === "account" && <AccountPanel />}
      {tab === "channels" && <ChannelsPanel />}
      {tab === "detection" && <DetectionPanel />}
      {tab === "connect" && <ConnectPanel />}
    </>
  );
}
