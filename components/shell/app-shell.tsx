"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../data/api";
import { useSession } from "../data/use-resources";
import { useRangeHref, useRememberUrlRange } from "../ui/time-range";
import { ThemeToggle } from "./theme-toggle";

const NAV = [
  { href: "/", label: "Overview" },
  { href: "/traces", label: "Traces" },
  { href: "/sessions", label: "Sessions" },
  { href: "/users", label: "Users" },
  { href: "/anomalies", label: "Anomalies" },
  { href: "/alerts", label: "Alerts" },
  { href: "/agents", label: "Agents" },
  { href: "/settings", label: "Settings" },
];

const BARE = ["/login", "/setup", "/invite"];

export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  if (BARE.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return <>{children}</>;
  return <Shell pathname={pathname}>{children}</Shell>;
}

/** A sidebar on wide screens; below the breakpoint (globals.css) a top bar whose menu button opens it. */
function Shell({ pathname, children }: { pathname: string; children: ReactNode }) {
  useRememberUrlRange();
  const rangeHref = useRangeHref();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [pathname]);
  return (
    <div className={`shell${menuOpen ? " menu-open" : ""}`}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-dot" aria-hidden /> Argus
        </div>
        <button type="button" className="btn menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          {menuOpen ? "Close" : "Menu"}
        </button>
      </header>
      <nav className="sidebar" id="main-nav" aria-label="Main">
        <div className="sidebar-inner">
          <div className="brand sidebar-brand">
            <span className="brand-dot" aria-hidden /> Argus
          </div>
          {NAV.map((item) => {
            const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
            return (
              <Link key={item.href} href={rangeHref(item.href)} className={`nav-link${active ? " active" : ""}`} aria-current={active ? "page" : undefined} onClick={() => setMenuOpen(false)}>
                {item.label}
              </Link>
            );
          })}
          <SidebarFooter />
        </div>
      </nav>
      <main className="main">{children}</main>
    </div>
  );
}

function SidebarFooter() {
  const session = useSession();
  const client = useQueryClient();
  const switchProject = (id: string) => {
    document.cookie = `argus_project=${encodeURIComponent(id)}; Path=/; SameSite=Lax; Max-Age=31536000`;
    void client.invalidateQueries();
  };
  const signOut = async () => {
    await apiFetch("/api/auth/logout", { method: "POST" }).catch(() => {});
    window.location.assign("/login");
  };
  const data = session.data;
  return (
    <div className="sidebar-footer">
      {data && data.projects.length > 0 && (
        <label className="field">
          Project
          <select className="select" value={data.projectId ?? ""} onChange={(e) => switchProject(e.target.value)} aria-label="Project">
            {data.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <ThemeToggle />
      {data && (
        <div className="row">
          <span className="ellipsis" title={data.user.email} style={{ maxWidth: 120 }}>
            {data.user.email}
          </span>
          <button className="btn small" onClick={signOut}>
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
