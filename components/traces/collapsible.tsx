"use client";
// Long chat content starts collapsed to a few lines, with "Show more" to read it all.
import { useState, type ReactNode } from "react";
import { isLongText } from "@/lib/conversation/plain-text";

export function Collapsible({ text, children }: { text: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  if (!isLongText(text)) return <>{children}</>;
  return (
    <div>
      <div className={open ? undefined : "collapsed"} data-collapsed={open ? undefined : true}>
        {children}
      </div>
      <button type="button" className="link-button small" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? "Show less" : `Show more (${text.length.toLocaleString()} characters)`}
      </button>
    </div>
  );
}
