"use client";
import { useMemo } from "react";
import { buildDecisionChain, surprisingTransitions } from "@/lib/charts/decision-chain";
import { nsToMsNumber } from "./ns";
import type { Anomaly, Span } from "../data/types";
import { useAgentTransitions } from "../data/use-resources";

/** The trace's decisions in order; loops and transitions that are rare for this agent are marked. */
export function DecisionChain({ spans, anomalies, agent, selected, onSelect }: { spans: Span[]; anomalies: Anomaly[]; agent?: string | null; selected?: string; onSelect: (id: string) => void }) {
  const chain = useMemo(
    () => buildDecisionChain(spans.map((s) => ({ spanId: s.spanId, name: s.name, step: s.step, kind: s.kind, startMs: nsToMsNumber(s.startNs), argsHash: s.argsHash, statusCode: s.statusCode }))),
    [spans],
  );
  const table = useAgentTransitions(agent ?? undefined);
  const flagged = new Set(anomalies.filter((a) => ["transition", "loop", "chain_length", "fanout"].includes(a.detector) && a.spanId).map((a) => a.spanId!));
  const surprising = table.data ? surprisingTransitions(chain.map((c) => c.step), table.data.transitions) : chain.map(() => false);
  if (chain.length === 0) return <div className="muted small">No LLM or tool steps in this trace.</div>;
  return (
    <div className="chain" aria-label="Decision chain">
      {chain.map((c, i) => {
        const odd = surprising[i] || flagged.has(c.spanId);
        return (
          <span key={c.spanId} style={{ display: "contents" }}>
            {i > 0 && <span className={`chain-arrow${odd ? " surprising" : ""}`} title={odd ? "Unusual transition for this agent" : undefined}>→</span>}
            <button
              className={`chain-step${c.loop ? " loop" : odd ? " surprising" : ""}${selected === c.spanId ? " selected" : ""}`}
              onClick={() => onSelect(c.spanId)}
              title={c.loop ? `Repeated ${c.repeat}× with the same arguments` : odd ? "Rare transition for this agent" : c.kind}
            >
              {c.step}
              {c.repeat > 1 && <sup> ×{c.repeat}</sup>}
              {c.error && " ⚠"}
            </button>
          </span>
        );
      })}
    </div>
  );
}
