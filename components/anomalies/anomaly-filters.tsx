"use client";
import { useEffect, useState } from "react";
import { SEVERITIES } from "@/lib/alerts/severity";
import { DETECTORS } from "@/lib/detect/settings";
import { TimeRangePicker } from "../ui/time-range";
import { useUrlState } from "../ui/use-url-state";

function Select({ label, name, options }: { label: string; name: string; options: Array<[value: string, text: string]> }) {
  const { get, set } = useUrlState();
  return (
    <label className="field">
      {label}
      <select className="select" aria-label={label} value={get(name) ?? ""} onChange={(e) => set({ [name]: e.target.value, cursor: null })}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The anomalies list filters, kept in the URL so a filtered list can be shared. */
export function AnomalyFilters() {
  const { get, set } = useUrlState();
  const [entity, setEntity] = useState(get("entity") ?? "");
  useEffect(() => setEntity(get("entity") ?? ""), [get]);
  return (
    <div className="filters">
      <TimeRangePicker />
      <Select label="Detector" name="detector" options={[["", "All"], ...DETECTORS.map((d): [string, string] => [d, d])]} />
      <Select label="Severity" name="severity" options={[["", "All"], ["critical", "critical"], ["high,critical", "high or worse"], ["medium,high,critical", "medium or worse"], ...SEVERITIES.slice(0, 3).reverse().map((s): [string, string] => [s, s])]} />
      <Select label="Minimum score" name="minScore" options={[["", "Any"], ["0.5", "≥ 0.5"], ["0.8", "≥ 0.8"]]} />
      <Select label="Marked expected" name="expected" options={[["", "Shown"], ["exclude", "Hidden"], ["only", "Only these"]]} />
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          set({ entity: entity.trim(), cursor: null });
        }}
      >
        Search
        <input className="input" type="search" placeholder="Agent, step or model" value={entity} onChange={(e) => setEntity(e.target.value)} aria-label="Search anomalies" style={{ width: 200 }} />
      </form>
    </div>
  );
}
