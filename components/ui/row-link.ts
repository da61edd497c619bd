"use client";
// Table rows that open a page: the row's main cell holds a real link (open in a new tab, copy the address),
// and a click anywhere else on the row follows it too (with Ctrl/⌘ or the middle button, in a new tab).
// Enter opens the focused row; the arrow keys move between rows. Links and controls inside a row keep their clicks.
import { useRouter } from "next/navigation";
import type { MouseEvent } from "react";
import { rowKeyHandler } from "./keyboard";

const INTERACTIVE = "a, button, input, select, textarea, label, summary";

const fromControl = (event: MouseEvent) => event.target instanceof Element && event.target.closest(INTERACTIVE) !== null;

export function useRowLink(options: { replace?: boolean } = {}) {
  const router = useRouter();
  const go = (href: string) => (options.replace ? router.replace(href, { scroll: false }) : router.push(href));
  return (href: string) => ({
    className: "clickable",
    tabIndex: 0,
    onClick: (event: MouseEvent<HTMLTableRowElement>) => {
      if (fromControl(event)) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey) window.open(href, "_blank", "noopener");
      else go(href);
    },
    onAuxClick: (event: MouseEvent<HTMLTableRowElement>) => {
      if (event.button === 1 && !fromControl(event)) window.open(href, "_blank", "noopener");
    },
    onKeyDown: rowKeyHandler(() => go(href)),
  });
}
