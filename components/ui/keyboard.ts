// Keyboard-friendly table rows: Enter opens, arrow keys (and j/k) move between rows.
import type { KeyboardEvent } from "react";

export function rowKeyHandler(open: () => void) {
  return (event: KeyboardEvent<HTMLTableRowElement>) => {
    const row = event.currentTarget;
    if (event.key === "Enter") {
      // Enter on a link or button inside the row is theirs.
      if (event.target !== row) return;
      event.preventDefault();
      open();
    } else if (event.key === "ArrowDown" || event.key === "j") {
      event.preventDefault();
      (row.nextElementSibling as HTMLElement | null)?.focus();
    } else if (event.key === "ArrowUp" || event.key === "k") {
      event.preventDefault();
      (row.previousElementSibling as HTMLElement | null)?.focus();
    }
  };
}
